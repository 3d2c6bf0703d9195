package org.ijgenai.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.ImageHeader;
import org.ijgenai.core.onnx.SessionSettings;

import ij.IJ;
import ij.ImagePlus;

/**
 * What one Spark job does with images; {@link JobRunner} does the rest (listing, skipping finished images,
 * partitioning, committing tables, counting, the summary). Instances are serialised to the executors, so they
 * hold only settings (paths as strings, numbers); models are loaded there, once per executor core.
 */
abstract class ImageJob implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final ParquetTable results;
    private final String modelPath;
    private final int threadsPerTask;
    private final long maxBytes;
    private final long maxPixels;
    private String modelName;
    private String modelHash;

    /**
     * @param name the job's name, as in {@code bin/ij-genai spark NAME} and the {@code errors} table's {@code job}
     *     column
     * @param results the job's result table: its name and the columns after the common ones (path … run)
     * @param modelPath the model, at the same path on every executor (shared file system, or shipped with
     *     {@code --archives})
     * @param threadsPerTask ONNX Runtime's intra-op threads in each task's session
     * @param maxBytes larger files are recorded as errors without being read
     * @param maxPixels images with more pixels (by their header) are recorded as errors without being decoded
     */
    ImageJob(String name, ParquetTable results, String modelPath, int threadsPerTask, long maxBytes, long maxPixels) {
        if (maxBytes < 1 || maxPixels < 1) {
            throw new IllegalArgumentException("size limits must be ≥ 1, were " + maxBytes + " bytes and "
                    + maxPixels + " pixels");
        }
        if (threadsPerTask < 1) {
            throw new IllegalArgumentException("--threads-per-task must be ≥ 1, was " + threadsPerTask);
        }
        this.name = name;
        this.results = results;
        this.modelPath = modelPath;
        this.threadsPerTask = threadsPerTask;
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
    }

    /** Records the model's name and fingerprint, which the subclass reads on the driver when it is made. */
    final void identify(String name, String hash) {
        this.modelName = name;
        this.modelHash = hash;
    }

    /** The job's name, as in {@code bin/ij-genai spark NAME} and the {@code errors} table's {@code job} column. */
    final String name() {
        return name;
    }

    /** The job's result table: its name and the columns after the common ones (path … run). */
    final ParquetTable results() {
        return results;
    }

    /** The model's name, recorded in every row. */
    final String modelName() {
        return modelName;
    }

    /** The model's fingerprint: rows with another one are not "done" for this run. */
    final String modelHash() {
        return modelHash;
    }

    /** The model's path as given (the same on every executor). */
    final String modelPath() {
        return modelPath;
    }

    /**
     * This task's own instance of the job's model from the executor's pool, opened with {@code open} (given the
     * session settings) the first time a core of this executor needs one.
     */
    final <T extends AutoCloseable> ExecutorModels.Lease<T> borrowModel(Function<SessionSettings, T> open) {
        String key = name() + ":" + Paths.get(modelPath).toAbsolutePath() + ":" + threadsPerTask;
        return ExecutorModels.borrow(key, () -> open.apply(new SessionSettings(threadsPerTask, true, -1)));
    }

    /** What a job does with one image opened by ImageJ: the values of its result columns. */
    interface ImagePlusStep {
        Object[] apply(InputImage image, ImagePlus imp) throws IOException;
    }

    /**
     * Opens each image with ImageJ (as the plugin's commands see it) and records {@code step}'s columns, or the
     * reason it failed ({@code verb}, e.g. "cannot segment", heads the reasons that have no message of their own).
     */
    final void forEachImagePlus(List<InputImage> images, Context context, Outcome outcome, String verb,
            ImagePlusStep step) {
        Headless.ensure();
        for (InputImage image : images) {
            try {
                ImagePlus imp = IJ.openImage(localImage(image, context).toString());
                if (imp == null) {
                    throw new IOException("cannot decode " + image.key() + " as an image");
                }
                outcome.results().put(image, step.apply(image, imp));
            } catch (IOException | GenAiException | IllegalArgumentException e) {
                outcome.errors().put(image, e.getMessage());
            } catch (RuntimeException | OutOfMemoryError e) {
                outcome.errors().put(image, verb + ": " + e);
            }
        }
    }

    /**
     * Processes the images of one partition on an executor, writing any output files (through
     * {@link JobOutput}'s temporary names) before returning; every image must end up in exactly one of the two
     * maps of the outcome.
     */
    abstract Outcome process(List<InputImage> images, Context context) throws IOException;

    /** Runs on the driver after every partition has committed (the CLIP job merges its shards here). */
    void finish(SparkSession spark, JobOutput output, JobSummary summary) {
    }

    /** A line for the driver's summary about what {@link #finish} made, or null. */
    String finishNote() {
        return null;
    }

    /** What a partition produced: the job's columns for each finished image, and the reason for each failed one. */
    record Outcome(Map<InputImage, Object[]> results, Map<InputImage, String> errors) {

        /** An empty outcome to fill in. */
        static Outcome empty() {
            return new Outcome(new LinkedHashMap<>(), new LinkedHashMap<>());
        }
    }

    /**
     * Where a task works.
     *
     * @param part the partition's name, {@code RUN-PARTITION}, unique across runs
     * @param attempt the task attempt, so retried attempts never share temporary names
     * @param scratch a local folder that is deleted after the task
     */
    record Context(String part, int attempt, FileSystem fs, Configuration conf, JobOutput output,
            java.nio.file.Path scratch) {

        /** A temporary name for an output of this task attempt. */
        org.apache.hadoop.fs.Path temp(String name) {
            return output.temp(part + "-a" + attempt + "-" + name);
        }
    }

    /**
     * A local copy of an input image that has passed the size checks: the file itself when it is local, else a
     * download into the task's scratch folder.
     *
     * @throws IOException with the reason, for the errors table
     */
    java.nio.file.Path localImage(InputImage image, Context context) throws IOException {
        if (image.size() > maxBytes) {
            throw new IOException("file too large: " + image.size() + " bytes, the limit is " + maxBytes
                    + " (--max-bytes)");
        }
        java.nio.file.Path local;
        if (image.isLocal()) {
            local = java.nio.file.Paths.get(image.key());
        } else {
            String name = image.relativeName().replaceAll("[^A-Za-z0-9._-]", "_");
            local = context.scratch().resolve("in-" + Math.abs(image.key().hashCode()) + "-"
                    + name.substring(Math.max(0, name.length() - 80)));
            org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(image.uri());
            try (InputStream in = remote.getFileSystem(context.conf()).open(remote)) {
                Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        checkPixels(local);
        return local;
    }

    /** Refuses an image whose header declares more than {@code maxPixels}, before decoding it. */
    private void checkPixels(java.nio.file.Path file) throws IOException {
        // An unreadable header (null) is the decoder's to report, with its own words.
        ImageHeader header = ImageHeader.read(file);
        if (header != null && header.pixels() > maxPixels) {
            throw new IOException("image too large: " + header.width() + "×" + header.height() + " = "
                    + header.pixels() + " pixels, the limit is " + maxPixels + " (--max-pixels)");
        }
    }
}
