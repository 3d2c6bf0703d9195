package org.ijgenai.core.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.ijgenai.core.GenAiException;

/**
 * Unpacks a zip archive of a model into a new folder, refusing entries whose names would land outside it ("zip
 * slip"), files of refused kinds, and archives that expand beyond the free disk space or a sane entry count.
 */
public final class ArchiveExtractor {

    private static final int MAX_ENTRIES = 100_000;

    private ArchiveExtractor() {}

    /**
     * Extracts {@code zip} into {@code target}, which must not exist yet. On any refusal the partly written folder
     * is removed and the exception names the offending entry.
     */
    public static void extractZip(Path zip, Path target) {
        if (Files.exists(target)) {
            throw new GenAiException("cannot extract into " + target + ": it already exists");
        }
        try {
            Files.createDirectories(target);
            extractInto(zip, target);
        } catch (IOException e) {
            throw GenAiException.io("extracting " + zip + " into " + target, e);
        }
    }

    private static void extractInto(Path zip, Path target) throws IOException {
        try {
            long budget = Files.getFileStore(target).getUsableSpace() - (64L << 20);
            long written = 0;
            int count = 0;
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                    if (++count > MAX_ENTRIES) {
                        throw new GenAiException(zip + " has more than " + MAX_ENTRIES + " entries; refusing it");
                    }
                    String name = entry.getName();
                    String path = entry.isDirectory() && name.endsWith("/") ? name.substring(0, name.length() - 1)
                            : name;
                    String problem = ModelName.relativePathProblem(path);
                    if (problem != null) {
                        throw new GenAiException(zip + ": entry '" + ModelName.printable(name) + "' " + problem
                                + "; an archive may only create files inside its own folder");
                    }
                    Path destination = ModelName.resolveInside(target, path);
                    if (entry.isDirectory()) {
                        Files.createDirectories(destination);
                        continue;
                    }
                    if (!hidden(path)) {
                        String refusal = FileSafety.problem(path);
                        if (refusal != null) {
                            throw new GenAiException(zip + ": entry " + path + ": " + refusal);
                        }
                    }
                    Files.createDirectories(destination.getParent());
                    written += copy(in, destination, budget - written, zip);
                }
            }
        } catch (IOException | RuntimeException e) {
            ModelStore.deleteTree(target);
            throw e;
        }
    }

    private static long copy(InputStream in, Path destination, long budget, Path zip) throws IOException {
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(destination)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                size += n;
                if (size > budget) {
                    throw new GenAiException(zip + " expands to more than the free disk space; refusing it");
                }
                out.write(buffer, 0, n);
            }
        }
        return size;
    }

    private static boolean hidden(String path) {
        for (String segment : path.split("/")) {
            if (segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
