package org.ijgenai.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.search.ImageFileReader;

/**
 * Lists the input images of a job on the driver: a directory (recursively), a glob, or a text file with one
 * path or URI per line, on any Hadoop file system the cluster is configured for. Hidden names (starting with
 * {@code .} or {@code _}) and the job's own output prefix are left out; the result is sorted by key.
 */
final class InputListing {

    private InputListing() {}

    /**
     * Lists {@code input} (a directory or glob) or, when {@code listFile} is given, the paths it names.
     *
     * @param exclude a prefix whose files are never inputs (the job's output), or null
     * @throws GenAiException when nothing matches, or the listing cannot be read
     */
    static List<InputImage> list(String input, String listFile, Path exclude, Configuration conf) {
        Set<String> suffixes = ImageFileReader.suffixes();
        TreeMap<String, InputImage> found = new TreeMap<>();
        String excluded = exclude == null ? null : qualified(exclude, conf) + "/";
        try {
            if (listFile != null) {
                for (String line : readLines(new Path(listFile), conf)) {
                    Path p = new Path(line);
                    FileSystem fs = p.getFileSystem(conf);
                    FileStatus status;
                    try {
                        status = fs.getFileStatus(p);
                    } catch (java.io.FileNotFoundException e) {
                        throw new GenAiException("Image " + line + " listed in " + listFile + " does not exist");
                    }
                    add(found, status);
                }
            } else {
                Path pattern = new Path(input);
                FileSystem fs = pattern.getFileSystem(conf);
                FileStatus[] matches = fs.globStatus(pattern);
                if (matches == null || matches.length == 0) {
                    throw new GenAiException("No input at " + input + " (no such directory, file or glob match)");
                }
                for (FileStatus match : matches) {
                    if (match.isDirectory()) {
                        String root = match.getPath().toString();
                        for (FileStatus f : filesUnder(fs, match.getPath())) {
                            String path = f.getPath().toString();
                            if (excluded != null && path.startsWith(excluded)) {
                                continue;
                            }
                            if (!hidden(path.substring(root.length())) && isImage(f.getPath(), suffixes)) {
                                add(found, f);
                            }
                        }
                    } else if (isImage(match.getPath(), suffixes)) {
                        add(found, match);
                    }
                }
            }
        } catch (IOException e) {
            throw new GenAiException("Cannot list the input images " + (listFile != null ? listFile : input)
                    + ": " + e.getMessage(), e);
        }
        if (found.isEmpty()) {
            throw new GenAiException("No images found in " + (listFile != null ? listFile : input)
                    + " (looked for " + String.join(", ", suffixes) + ")");
        }
        return new ArrayList<>(found.values());
    }

    /**
     * Every file under {@code dir}. Object stores and HDFS list a whole tree in batched calls with
     * {@code listFiles(dir, true)}; on the local file system that call builds a LocatedFileStatus per file, whose
     * constructor reads the file's owner and permissions by running {@code stat} in a child process (Hadoop's
     * RawLocalFileSystem): 4,800 files cost 10-26 s on the driver before any image was read. Plain
     * {@code listStatus} statuses read them only when asked, which the listing never does.
     */
    private static List<FileStatus> filesUnder(FileSystem fs, Path dir) throws IOException {
        List<FileStatus> files = new ArrayList<>();
        if (!(fs instanceof LocalFileSystem)) {
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
            while (it.hasNext()) {
                files.add(it.next());
            }
            return files;
        }
        ArrayDeque<Path> dirs = new ArrayDeque<>(List.of(dir));
        while (!dirs.isEmpty()) {
            for (FileStatus s : fs.listStatus(dirs.pop())) {
                if (s.isDirectory()) {
                    dirs.push(s.getPath());
                } else {
                    files.add(s);
                }
            }
        }
        return files;
    }

    private static void add(TreeMap<String, InputImage> found, FileStatus status) {
        InputImage image = InputImage.of(status);
        found.put(image.key(), image);
    }

    private static String qualified(Path path, Configuration conf) {
        try {
            return path.getFileSystem(conf).makeQualified(path).toString().replaceFirst("/+$", "");
        } catch (IOException e) {
            throw new GenAiException("Cannot resolve " + path + ": " + e.getMessage(), e);
        }
    }

    private static boolean hidden(String relative) {
        for (String part : relative.split("/")) {
            if (part.startsWith(".") || part.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isImage(Path path, Set<String> suffixes) {
        return ImageFileReader.looksLikeImage(Paths.get(path.getName()), suffixes);
    }

    private static List<String> readLines(Path file, Configuration conf) throws IOException {
        List<String> lines = new ArrayList<>();
        FileSystem fs = file.getFileSystem(conf);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    lines.add(trimmed);
                }
            }
        } catch (java.io.FileNotFoundException e) {
            throw new GenAiException("Image list " + file + " not found", e);
        }
        return lines;
    }
}
