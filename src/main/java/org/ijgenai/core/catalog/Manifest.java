package org.ijgenai.core.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.ijgenai.core.GenAiException;

/**
 * The record of an installed model: every file with its size and SHA-256 and how that hash was established, plus
 * where the model came from. {@code models verify} recomputes every hash against it, so a changed byte in any file
 * is found. Stored as {@value #FILE_NAME} inside the model folder, or under the user's {@code .manifests/} for a
 * folder registered in place.
 *
 * @param name the model name
 * @param task the model's task
 * @param format the detected folder layout
 * @param source a description of the source (repository@revision, URL, or local path)
 * @param resolvedCommit the commit the hub reported serving (X-Repo-Commit), or null
 * @param recordedAt when the manifest was written (ISO-8601)
 * @param files every file of the model, sorted by path
 */
public record Manifest(String name, ModelTask task, String format, String source, String resolvedCommit,
        String recordedAt, List<Entry> files) {

    /** The manifest's file name inside a model folder. */
    public static final String FILE_NAME = "ij-genai-manifest.json";
    /** The value of the "format" field of a manifest file. */
    public static final String FORMAT = "ij-genai-model-manifest";

    /** Copies the file list. */
    public Manifest {
        files = List.copyOf(files);
    }

    /** One recorded file. */
    public record Entry(String path, long size, String sha256, Provenance provenance) {

        /** Validates the path and hash. */
        public Entry {
            ModelName.requireSafeRelativePath(path);
            if (!ModelFile.isSha256(sha256)) {
                throw new GenAiException("manifest entry " + path + " has an invalid sha256");
            }
        }
    }

    /** The total size of the recorded files. */
    public long totalSize() {
        return files.stream().mapToLong(Entry::size).sum();
    }

    /** Writes the manifest as pretty-printed JSON, through a temporary file and a rename. */
    public void write(Path file) {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("version", 1);
        root.addProperty("name", name);
        root.addProperty("task", task.id());
        root.addProperty("layout", format);
        root.addProperty("source", source);
        if (resolvedCommit != null) {
            root.addProperty("resolvedCommit", resolvedCommit);
        }
        root.addProperty("recordedAt", recordedAt);
        JsonArray list = new JsonArray();
        for (Entry entry : files) {
            JsonObject f = new JsonObject();
            f.addProperty("path", entry.path());
            f.addProperty("size", entry.size());
            f.addProperty("sha256", entry.sha256());
            f.addProperty("check", entry.provenance().id());
            list.add(f);
        }
        root.add("files", list);
        try {
            writeJson(root, file);
        } catch (IOException e) {
            throw GenAiException.io("writing manifest " + file, e);
        }
    }

    /** Writes {@code root} as pretty-printed JSON through a temporary file and a rename, so no reader sees half. */
    static void writeJson(JsonObject root, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(root) + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a manifest file. */
    public static Manifest read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement element = JsonParser.parseReader(reader);
            if (!element.isJsonObject()) {
                throw new GenAiException(file + ": a manifest must be a JSON object");
            }
            JsonObject root = element.getAsJsonObject();
            if (!FORMAT.equals(Catalog.string(root, "format"))) {
                throw new GenAiException(file + ": \"format\" must be \"" + FORMAT + "\"");
            }
            List<Entry> entries = new ArrayList<>();
            JsonArray list = root.has("files") ? root.getAsJsonArray("files") : new JsonArray();
            for (JsonElement item : list) {
                JsonObject f = item.getAsJsonObject();
                Long size = Catalog.number(f, "size");
                entries.add(new Entry(Catalog.string(f, "path"), size == null ? -1 : size,
                        Catalog.string(f, "sha256"), Provenance.fromId(Catalog.string(f, "check"))));
            }
            ModelTask task = ModelTask.fromId(Catalog.string(root, "task"));
            return new Manifest(Catalog.string(root, "name"), task == null ? ModelTask.OTHER : task,
                    Catalog.string(root, "layout"), Catalog.string(root, "source"),
                    Catalog.string(root, "resolvedCommit"), Catalog.string(root, "recordedAt"), entries);
        } catch (JsonParseException | IllegalStateException | ClassCastException e) {
            throw new GenAiException(file + ": not a valid manifest (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw GenAiException.io("reading manifest " + file, e);
        }
    }

    /**
     * Records every file of {@code folder} (except the manifest itself) by hashing it.
     *
     * @throws GenAiException when a file is of a refused kind or a symbolic link leads outside the folder
     */
    public static Manifest record(Path folder, String name, ModelTask task, String format, String source,
            Provenance provenance) {
        List<Entry> entries = new ArrayList<>();
        for (String path : listFiles(folder)) {
            Path file = folder.resolve(path);
            entries.add(new Entry(path, size(file), sha256(file), provenance));
        }
        return new Manifest(name, task, format, source, null, Instant.now().toString(), entries);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw GenAiException.io("reading the size of " + file, e);
        }
    }

    /**
     * The relative paths (forward slashes, sorted) of the regular files in {@code folder}, without the manifest,
     * staging files and hidden files; fails on symbolic links that resolve outside the folder.
     */
    public static List<String> listFiles(Path folder) {
        try {
            return listFilesOf(folder);
        } catch (IOException e) {
            throw GenAiException.io("listing the files of " + folder, e);
        } catch (UncheckedIOException e) {
            // Files.walk reports a failure met while walking this way.
            throw GenAiException.io("listing the files of " + folder, e.getCause());
        }
    }

    private static List<String> listFilesOf(Path folder) throws IOException {
        Path base = folder.toAbsolutePath().normalize();
        Path realBase = base.toRealPath();
        List<String> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(base, FileVisitOption.FOLLOW_LINKS)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (path.equals(base)) {
                    continue;
                }
                String relative = base.relativize(path).toString().replace('\\', '/');
                if (Files.isSymbolicLink(path) && !path.toRealPath().startsWith(realBase)) {
                    throw new GenAiException(path + " is a link to " + path.toRealPath()
                            + ", outside the model folder; refusing it");
                }
                if (!Files.isRegularFile(path) || relative.equals(FILE_NAME) || hidden(relative)) {
                    continue;
                }
                paths.add(relative);
            }
        }
        paths.sort(null);
        return paths;
    }

    private static boolean hidden(String relative) {
        for (String segment : relative.split("/")) {
            if (segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The SHA-256 of a file, as 64 lower-case hexadecimal digits. */
    public static String sha256(Path file) {
        MessageDigest digest = FileDownloader.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw GenAiException.io("hashing " + file, e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Whether {@code path} exists as a regular file without following a final link. */
    static boolean isPlainFile(Path path) {
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }
}
