package org.ijgenai.core.search;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;

/**
 * Fills an image index from a folder or a list of images, incrementally: images whose size and modification time
 * match their index entry are not embedded again, changed ones are replaced and vanished ones dropped.
 *
 * <p>Decoding and preprocessing run on a small thread pool ahead of the vision network, which runs batches on
 * the calling thread, so the network is rarely idle. Finished batches are committed every few seconds and on
 * cancel, so a cancel leaves every finished batch in the index and a crash loses at most the last seconds.
 */
public final class ImageIndexer {

    /**
     * How to run an indexing job.
     *
     * @param batchSize images per network call and per commit
     * @param decoderThreads threads that decode and preprocess ahead of the network
     */
    public record Settings(int batchSize, int decoderThreads) {

        /** Batches of 16, and one decoder thread per core beyond the first (at least one). */
        public static final Settings DEFAULT = new Settings(16,
                Math.max(1, Runtime.getRuntime().availableProcessors() - 1));

        /** Validates the settings. */
        public Settings {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be ≥ 1, was " + batchSize);
            }
            if (decoderThreads < 1) {
                throw new IllegalArgumentException("decoder threads must be ≥ 1, was " + decoderThreads);
            }
        }
    }

    /** How often a long run makes its finished batches durable. */
    private static final long COMMIT_INTERVAL_NANOS = 5_000_000_000L;

    private final ClipModel model;
    private final Settings settings;

    /** Creates an indexer that embeds with {@code model}. */
    public ImageIndexer(ClipModel model, Settings settings) {
        this.model = model;
        this.settings = settings;
    }

    /** The image files under {@code folder}, recursively, sorted by path; files inside {@code exclude} are left out. */
    public static List<Path> listImages(Path folder, Path exclude) {
        if (!Files.isDirectory(folder)) {
            throw new GenAiException("Image folder not found: " + folder);
        }
        Path skip = exclude == null ? null : exclude.toAbsolutePath().normalize();
        Set<String> suffixes = ImageFileReader.suffixes();
        try (Stream<Path> walk = Files.walk(folder, FileVisitOption.FOLLOW_LINKS)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> skip == null || !p.toAbsolutePath().normalize().startsWith(skip))
                    .filter(p -> ImageFileReader.looksLikeImage(p, suffixes))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException | UncheckedIOException e) {
            throw new GenAiException("Cannot list the images in " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Indexes every image under {@code folder} (recursively) into the index in {@code indexDir}, dropping entries
     * of files under {@code folder} that no longer exist.
     *
     * @throws GenAiException when the folder holds no images, or the index belongs to another model or is busy
     */
    public IndexingReport indexFolder(Path folder, Path indexDir, ProgressListener progress,
            CancellationToken cancel) {
        Path root = folder.toAbsolutePath().normalize();
        if (root.equals(indexDir.toAbsolutePath().normalize())) {
            throw new GenAiException("The index folder " + indexDir + " is the image folder; choose a separate"
                    + " (new or empty) folder for the index");
        }
        List<Path> files = listImages(root, indexDir);
        if (files.isEmpty()) {
            throw new GenAiException("No images found in " + folder + " (looked recursively for "
                    + String.join(", ", ImageFileReader.suffixes()) + ")");
        }
        List<ImageSource> sources = new ArrayList<>();
        List<IndexingReport.SkippedImage> unreadable = new ArrayList<>();
        // Every decoder thread may hold one decoded image at a time.
        long maxPixels = ImageFileReader.maxPixels(settings.decoderThreads());
        for (Path file : files) {
            try {
                sources.add(ImageSource.file(file, maxPixels));
            } catch (GenAiException e) {
                unreadable.add(new IndexingReport.SkippedImage(file.toString(), "cannot read file: "
                        + e.getMessage()));
            }
        }
        String prefix = root.toString().endsWith(File.separator) ? root.toString() : root + File.separator;
        return index(sources, indexDir, image -> image.slice() == 0 && image.path().startsWith(prefix), unreadable,
                progress, cancel);
    }

    /**
     * Indexes a list of images.
     *
     * @param owned which existing entries this run is responsible for: those of them not among {@code sources}
     *     are dropped from the index
     * @param alreadySkipped images the caller could not even list, reported with the rest
     */
    public IndexingReport index(List<ImageSource> sources, Path indexDir, Predicate<IndexedImage> owned,
            List<IndexingReport.SkippedImage> alreadySkipped, ProgressListener progress, CancellationToken cancel) {
        long start = System.nanoTime();
        IndexMetadata metadata = new IndexMetadata(model.id(), model.directory().toAbsolutePath().toString(),
                model.dimension());
        List<IndexingReport.SkippedImage> skipped = new ArrayList<>(alreadySkipped);
        int removed = 0;
        int embedded = 0;
        boolean cancelled = false;
        long networkNanos = 0;
        try (ImageIndexWriter writer = ImageIndexWriter.open(indexDir, metadata)) {
            Set<String> present = new HashSet<>();
            for (ImageSource s : sources) {
                present.add(s.entry().key());
            }
            for (IndexedImage old : List.copyOf(writer.entries().values())) {
                if (owned.test(old) && !present.contains(old.key())) {
                    writer.remove(old.key());
                    removed++;
                }
            }
            List<ImageSource> todo = new ArrayList<>();
            for (ImageSource s : sources) {
                IndexedImage old = writer.entries().get(s.entry().key());
                boolean same = old != null && old.size() == s.entry().size()
                        && old.modifiedMillis() == s.entry().modifiedMillis() && s.entry().size() > 0;
                if (!same) {
                    todo.add(s);
                }
            }
            int unchanged = sources.size() - todo.size();
            if (removed > 0) {
                writer.commit();
            }
            progress.progress(0, todo.size(), todo.isEmpty() ? "Index is up to date" : "Embedding " + todo.size()
                    + " image(s)");
            if (!todo.isEmpty()) {
                model.warmUpVision();
                Pipeline run = new Pipeline(writer, todo, skipped, progress, cancel);
                embedded = run.execute();
                removed += run.removed;
                cancelled = run.cancelled;
                networkNanos = run.networkNanos;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new IndexingReport(sources.size() + alreadySkipped.size(), unchanged, embedded, removed, skipped,
                    cancelled, seconds, networkNanos / 1e9);
        }
    }

    /** A decoded and preprocessed image, or the reason it could not be. */
    private record Prepared(ImageSource source, float[] pixels, int height, int width, String error) {
    }

    /** One run of the decode-ahead, embed-in-batches loop. */
    private final class Pipeline {
        private final ImageIndexWriter writer;
        private final List<ImageSource> todo;
        private final List<IndexingReport.SkippedImage> skipped;
        private final ProgressListener progress;
        private final CancellationToken cancel;
        private int removed;
        private boolean cancelled;
        private long networkNanos;

        Pipeline(ImageIndexWriter writer, List<ImageSource> todo, List<IndexingReport.SkippedImage> skipped,
                ProgressListener progress, CancellationToken cancel) {
            this.writer = writer;
            this.todo = todo;
            this.skipped = skipped;
            this.progress = progress;
            this.cancel = cancel;
        }

        int execute() {
            int[] fixed = model.preprocessor().fixedOutputSize();
            // Without a fixed crop every image has its own size, so each is its own batch.
            int batchSize = fixed[0] > 0 ? settings.batchSize() : 1;
            int window = batchSize * 2 + settings.decoderThreads();
            AtomicInteger threadNumber = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(settings.decoderThreads(), r -> {
                Thread t = new Thread(r, "clip-decode-" + threadNumber.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            Deque<Future<Prepared>> pending = new ArrayDeque<>();
            List<Prepared> batch = new ArrayList<>();
            int next = 0;
            int done = 0;
            long lastCommit = System.nanoTime();
            int embedded = 0;
            try {
                while (next < todo.size() || !pending.isEmpty()) {
                    if (cancel.isCancelled()) {
                        cancelled = true;
                        break;
                    }
                    while (pending.size() < window && next < todo.size()) {
                        ImageSource source = todo.get(next++);
                        pending.add(pool.submit(() -> prepare(source)));
                    }
                    Prepared p = await(pending.poll());
                    done++;
                    if (p.error != null) {
                        skipped.add(new IndexingReport.SkippedImage(p.source.entry().key(), p.error));
                        if (writer.entries().containsKey(p.source.entry().key())) {
                            writer.remove(p.source.entry().key());
                            removed++;
                        }
                    } else {
                        batch.add(p);
                    }
                    boolean last = next == todo.size() && pending.isEmpty();
                    if (batch.size() == batchSize || (last && !batch.isEmpty())) {
                        embedded += embed(batch);
                        batch.clear();
                        // A commit syncs files to disk; every few seconds bounds the loss on a crash without
                        // stalling the network after each batch. Cancel and the end commit anyway.
                        if (System.nanoTime() - lastCommit > COMMIT_INTERVAL_NANOS) {
                            writer.commit();
                            lastCommit = System.nanoTime();
                        }
                    }
                    if (batch.isEmpty() || last) {
                        progress.progress(done, todo.size(), "Embedded " + embedded + " of " + todo.size()
                                + " image(s)");
                    }
                }
                writer.commit();
                return embedded;
            } finally {
                for (Future<Prepared> f : pending) {
                    f.cancel(true);
                }
                pool.shutdownNow();
            }
        }

        private Prepared prepare(ImageSource source) {
            try {
                RgbImage image;
                try {
                    image = source.load();
                } catch (GenAiException e) {
                    // The reader's message already names the file and what is wrong with it.
                    return new Prepared(source, null, 0, 0, e.getMessage());
                }
                RgbImage cropped = model.preprocessor().resizeAndCrop(image);
                float[] pixels = model.preprocessor().rescaleAndNormalize(cropped);
                return new Prepared(source, pixels, cropped.height(), cropped.width(), null);
            } catch (RuntimeException | OutOfMemoryError e) {
                return new Prepared(source, null, 0, 0, "cannot decode: " + e);
            }
        }

        private Prepared await(Future<Prepared> future) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GenAiException("Indexing was interrupted", e);
            } catch (ExecutionException e) {
                throw new GenAiException("Image decoding failed: " + e.getCause(), e.getCause());
            }
        }

        private int embed(List<Prepared> batch) {
            int h = batch.get(0).height;
            int w = batch.get(0).width;
            int per = 3 * h * w;
            float[] all = new float[batch.size() * per];
            for (int i = 0; i < batch.size(); i++) {
                System.arraycopy(batch.get(i).pixels, 0, all, i * per, per);
            }
            long start = System.nanoTime();
            float[][] embeddings = model.embedPixelValues(all, batch.size(), h, w);
            networkNanos += System.nanoTime() - start;
            for (int i = 0; i < batch.size(); i++) {
                writer.put(batch.get(i).source.entry(), embeddings[i]);
            }
            return batch.size();
        }
    }
}
