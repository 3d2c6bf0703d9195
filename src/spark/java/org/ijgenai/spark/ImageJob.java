package org.ijgenai.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;

/**
 * What one Spark job does with images; {@link JobRunner} does the rest (listing, skipping finished images,
 * partitioning, committing tables, counting, the summary). Instances are serialised to the executors, so they
 * hold only settings (paths as strings, numbers); models are loaded there, once per executor core.
 */
abstract class ImageJob implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long maxBytes;
    private final long maxPixels;

    /**
     * @param maxBytes larger files are recorded as errors without being read
     * @param maxPixels images with more pixels (by their header) are recorded as errors without being decoded
     */
    ImageJob(long maxBytes, long maxPixels) {
        if (maxBytes < 1 || maxPixels < 1) {
            throw new IllegalArgumentException("size limits must be ≥ 1, were " + maxBytes + " bytes and "
                    + maxPixels + " pixels");
        }
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
    }

    /** The job's name, as in {@code bin/ij-genai spark NAME} and the {@code errors} table's {@code job} column. */
    abstract String name();

    /** The job's result table: its name and the columns after the common ones (path … run). */
    abstract ParquetTable results();

    /** The model's name, recorded in every row. */
    abstract String modelName();

    /** The model's fingerprint: rows with another one are not "done" for this run. */
    abstract String modelHash();

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
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw new IOException("image too large: " + reader.getWidth(0) + "×" + reader.getHeight(0)
                            + " = " + pixels + " pixels, the limit is " + maxPixels + " (--max-pixels)");
                }
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("image too large")) {
                    throw e;
                }
                // An unreadable header is the decoder's to report, with its own words.
            } catch (RuntimeException e) {
                // As above.
            } finally {
                reader.dispose();
            }
        }
    }
}
