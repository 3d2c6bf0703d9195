package org.ijgenai.core.onnx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import org.ijgenai.core.Offline;

/**
 * ONNX Runtime's optimised models kept on disk, so a network's graph is optimised once and later sessions load the
 * rewritten graph without optimising it again (issue 16: a CLIP ViT-L text encoder loaded in 5.3 s instead of 12.1 s
 * and peaked at 429 instead of 643 MB; a VAE decoder in 0.45 instead of 1.9 s).
 *
 * <p>An entry is keyed by the source file's absolute path, the size and modification time of every file in its
 * folder (the external weights live there), ONNX Runtime's version, the optimisation level and the device, so a
 * replaced model or another ONNX Runtime never loads a stale graph. An entry is written in a temporary folder and
 * renamed into place complete, so concurrent processes (Spark executors, two ImageJ instances) and a killed one never
 * leave a half-written graph that a later load would take. {@code -Dijgenai.ortCache=false} turns the cache off;
 * {@code -Dijgenai.ortCache=DIR} moves it (default: {@code onnxruntime-optimized} under {@link Offline#cacheDir()}).
 */
public final class OptimizedModelCache {

    /** The system property that moves the cache to a folder, or turns it off with {@code false}. */
    public static final String PROPERTY = "ijgenai.ortCache";
    /** The graph file of an entry. */
    static final String GRAPH = "model.onnx";
    /** The entry's weights, written beside the graph: a graph over 2 GB cannot be one protobuf file. */
    static final String WEIGHTS = "model.onnx.data";

    private final Path root;

    private OptimizedModelCache(Path root) {
        this.root = root;
    }

    /** The cache the system property names, or null when it is turned off. */
    public static OptimizedModelCache configured() {
        String value = System.getProperty(PROPERTY);
        if (value != null && value.equalsIgnoreCase("false")) {
            return null;
        }
        return new OptimizedModelCache(value == null || value.isBlank()
                ? Offline.cacheDir().resolve("onnxruntime-optimized") : Path.of(value));
    }

    /** A cache in a folder of the caller's choice. */
    public static OptimizedModelCache in(Path root) {
        return new OptimizedModelCache(root);
    }

    /** The folder holding the entries. */
    public Path root() {
        return root;
    }

    /** Where one source model's optimised graph is (or would be) kept. */
    public Entry entry(Path onnxFile, String ortVersion, SessionSettings.GraphOptimization level, String device)
            throws IOException {
        Path source = onnxFile.toAbsolutePath().normalize();
        StringBuilder key = new StringBuilder();
        key.append(source).append('\n').append(ortVersion).append('\n').append(level).append('\n').append(device);
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(source.getParent())) {
            listing.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        long bytes = 0;
        for (Path f : files) {
            long size = Files.size(f);
            bytes += size;
            key.append('\n').append(f.getFileName()).append(' ').append(size).append(' ')
                    .append(Files.getLastModifiedTime(f).toMillis());
        }
        return new Entry(root.resolve(sha256(key.toString()).substring(0, 24)), source, bytes);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** One source model's place in the cache. */
    public static final class Entry {

        private final Path dir;
        private final Path source;
        private final long sourceBytes;

        private Entry(Path dir, Path source, long sourceBytes) {
            this.dir = dir;
            this.source = source;
            this.sourceBytes = sourceBytes;
        }

        /** The optimised graph, when a complete entry exists. */
        public Path graph() {
            return dir.resolve(GRAPH);
        }

        /** Whether a complete entry exists (it is renamed into place only once written). */
        public boolean exists() {
            return Files.isRegularFile(graph());
        }

        /**
         * A fresh temporary folder beside the entry for ONNX Runtime to write into, or null when the disk cannot
         * hold another copy of the source's folder (the cache is an optimisation: a full disk must not fail a load).
         */
        Path reserve() {
            try {
                Files.createDirectories(dir.getParent());
                if (Files.getFileStore(dir.getParent()).getUsableSpace() < 2 * sourceBytes + (64L << 20)) {
                    return null;
                }
                return Files.createTempDirectory(dir.getParent(), dir.getFileName() + ".tmp-");
            } catch (IOException | SecurityException | UnsupportedOperationException e) {
                return null;
            }
        }

        /**
         * Renames a temporary folder that ONNX Runtime wrote the graph into into place; drops it when ONNX Runtime
         * wrote nothing, or when another process was first (a rename onto its complete entry fails).
         */
        void commit(Path written) {
            try {
                if (!Files.isRegularFile(written.resolve(GRAPH))) {
                    delete(written);
                    return;
                }
                Files.writeString(written.resolve("source.txt"), source + "\n", StandardCharsets.UTF_8);
                Files.move(written, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                delete(written);
            }
        }

        /** Removes the entry (an unreadable graph) or a temporary folder; best effort. */
        void discard() {
            delete(dir);
        }

        static void delete(Path folder) {
            if (folder == null || !Files.exists(folder)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(folder)) {
                for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // What is left is a temporary folder no load reads: entries are found by their final name only.
            }
        }
    }
}
