package org.ijgenai.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.ijgenai.core.GenAiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an {@link ImageJob} incrementally: lists the input, leaves out every image that the job's table or the
 * {@code errors} table already holds with the same path, size, modification time and model hash, splits the
 * rest into partitions of about {@code imagesPerPartition} images, and lets each task commit its own partition
 * (output files, then its {@code errors} file, then its result file, which is the commit point). A run killed at
 * any moment therefore loses at most the partitions in flight, and a rerun does exactly those again.
 */
final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    /** Columns every result table starts with. */
    static final List<ParquetTable.Column> COMMON = List.of(
            new ParquetTable.Column("path", ParquetTable.Kind.STRING),
            new ParquetTable.Column("size", ParquetTable.Kind.LONG),
            new ParquetTable.Column("mtime", ParquetTable.Kind.LONG),
            new ParquetTable.Column("model", ParquetTable.Kind.STRING),
            new ParquetTable.Column("model_hash", ParquetTable.Kind.STRING),
            new ParquetTable.Column("run", ParquetTable.Kind.STRING));

    /** The table of images that failed, shared by all jobs. */
    static final ParquetTable ERRORS = new ParquetTable("errors", concat(COMMON, List.of(
            new ParquetTable.Column("job", ParquetTable.Kind.STRING),
            new ParquetTable.Column("reason", ParquetTable.Kind.STRING))));

    private JobRunner() {}

    static List<ParquetTable.Column> concat(List<ParquetTable.Column> a, List<ParquetTable.Column> b) {
        List<ParquetTable.Column> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * Runs the job over {@code input} (a directory or glob) or the paths listed in {@code listFile}.
     *
     * @param prefix the output prefix (any Hadoop file system URI or a local path)
     */
    static JobSummary run(SparkSession spark, ImageJob job, String input, String listFile, String prefix,
            int imagesPerPartition) {
        if (imagesPerPartition < 1) {
            throw new IllegalArgumentException("images per partition must be ≥ 1, was " + imagesPerPartition);
        }
        long start = System.nanoTime();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        JobOutput output = new JobOutput(prefix);
        FileSystem fs;
        try {
            fs = output.prefix().getFileSystem(conf);
            fs.mkdirs(output.prefix());
            // Temporary files of killed runs: nothing refers to them.
            fs.delete(output.tempRoot(), true);
        } catch (IOException e) {
            throw new GenAiException("Cannot use the output prefix " + prefix + ": " + e.getMessage(), e);
        }
        List<InputImage> images = InputListing.list(input, listFile, output.prefix(), conf);
        List<Row> todo = todo(spark, fs, output, job, images);
        long count = todo.size();
        String run = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT))
                + String.format(Locale.ROOT, "-%04x", ThreadLocalRandom.current().nextInt(0x10000));
        long processed = 0;
        long errors = 0;
        int partitions = 0;
        if (count > 0) {
            int n = (int) Math.min(Integer.MAX_VALUE, (count + imagesPerPartition - 1) / imagesPerPartition);
            LongAccumulator doneCount = spark.sparkContext().longAccumulator("ij-genai " + job.name() + " images");
            LongAccumulator errorCount = spark.sparkContext().longAccumulator("ij-genai " + job.name() + " errors");
            spark.sparkContext().setJobDescription("ij-genai " + job.name() + ": " + count + " image(s) in " + n
                    + " partition(s)");
            // The driver holds the listing anyway: sorted by path and cut into contiguous slices (what a range
            // partitioning by path gives), the images need no sampling job and no shuffle before the real work.
            todo.sort(Comparator.comparing(row -> row.getString(0)));
            List<PartitionReport> reports = JavaSparkContext.fromSparkContext(spark.sparkContext())
                    .parallelize(todo, n)
                    .mapPartitionsWithIndex(new Task(job, output, new HadoopConf(conf), run, doneCount,
                            errorCount), false)
                    .collect();
            for (PartitionReport r : reports) {
                processed += r.processed();
                errors += r.errors();
                partitions++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        JobSummary summary = new JobSummary(job.name(), images.size(), images.size() - count, processed, errors,
                partitions, seconds);
        job.finish(spark, output, summary);
        try {
            fs.delete(output.tempRoot(), true);
        } catch (IOException e) {
            LOG.warn("cannot clear {}: {}", output.tempRoot(), e.getMessage());
        }
        return new JobSummary(job.name(), images.size(), images.size() - count, processed, errors, partitions,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * The listed images that are not done yet, as rows of {@link InputImage#SCHEMA}: all of them on a first run
     * (no Spark job), else those the anti-join on path, size and modification time leaves.
     */
    private static List<Row> todo(SparkSession spark, FileSystem fs, JobOutput output, ImageJob job,
            List<InputImage> images) {
        List<Row> rows = new ArrayList<>();
        for (InputImage image : images) {
            rows.add(image.toRow());
        }
        Dataset<Row> done = done(spark, fs, output, job);
        if (done == null) {
            return rows;
        }
        Dataset<Row> listed = spark.createDataFrame(rows, InputImage.SCHEMA);
        return new ArrayList<>(listed.join(done, listed.col("path").equalTo(done.col("d_path"))
                .and(listed.col("size").equalTo(done.col("d_size")))
                .and(listed.col("mtime").equalTo(done.col("d_mtime"))), "left_anti").collectAsList());
    }

    /** The (path, size, mtime) of images this job already finished or recorded as failed with this model. */
    private static Dataset<Row> done(SparkSession spark, FileSystem fs, JobOutput output, ImageJob job) {
        Dataset<Row> done = null;
        for (ParquetTable table : List.of(job.results(), ERRORS)) {
            Path folder = output.table(table.name());
            try {
                if (ParquetTable.files(fs, folder).isEmpty()) {
                    continue;
                }
            } catch (IOException e) {
                throw new GenAiException("Cannot read " + folder + ": " + e.getMessage(), e);
            }
            Dataset<Row> rows = spark.read().parquet(folder.toString())
                    .filter(col("model_hash").equalTo(lit(job.modelHash())));
            if (table == ERRORS) {
                rows = rows.filter(col("job").equalTo(lit(job.name())));
            }
            rows = rows.select(col("path").as("d_path"), col("size").as("d_size"), col("mtime").as("d_mtime"));
            done = done == null ? rows : done.union(rows);
        }
        return done;
    }

    /** What one task reports to the driver. */
    record PartitionReport(String part, int images, int processed, int errors, double seconds)
            implements java.io.Serializable {
    }

    /** The task: processes and commits one partition. */
    private static final class Task implements Function2<Integer, Iterator<Row>, Iterator<PartitionReport>> {

        private static final long serialVersionUID = 1L;

        private final ImageJob job;
        private final JobOutput output;
        private final HadoopConf conf;
        private final String run;
        private final LongAccumulator doneCount;
        private final LongAccumulator errorCount;

        Task(ImageJob job, JobOutput output, HadoopConf conf, String run, LongAccumulator doneCount,
                LongAccumulator errorCount) {
            this.job = job;
            this.output = output;
            this.conf = conf;
            this.run = run;
            this.doneCount = doneCount;
            this.errorCount = errorCount;
        }

        @Override
        public Iterator<PartitionReport> call(Integer index, Iterator<Row> rows) throws Exception {
            List<InputImage> images = new ArrayList<>();
            rows.forEachRemaining(r -> images.add(InputImage.fromRow(r)));
            if (images.isEmpty()) {
                return List.<PartitionReport>of().iterator();
            }
            long start = System.nanoTime();
            String part = run + String.format(Locale.ROOT, "-%05d", index);
            TaskContext task = TaskContext.get();
            int attempt = task == null ? 0 : task.attemptNumber();
            Configuration hadoop = conf.get();
            FileSystem fs = output.prefix().getFileSystem(hadoop);
            java.nio.file.Path scratch = Files.createTempDirectory("ij-genai-" + part + "-");
            try {
                ImageJob.Context context = new ImageJob.Context(part, attempt, fs, hadoop, output, scratch);
                ImageJob.Outcome outcome = job.process(images, context);
                List<Object[]> errorRows = new ArrayList<>();
                for (Map.Entry<InputImage, String> e : outcome.errors().entrySet()) {
                    errorRows.add(row(e.getKey(), new Object[] {job.name(), e.getValue()}));
                }
                List<Object[]> resultRows = new ArrayList<>();
                for (Map.Entry<InputImage, Object[]> e : outcome.results().entrySet()) {
                    resultRows.add(row(e.getKey(), e.getValue()));
                }
                if (!errorRows.isEmpty()) {
                    ERRORS.write(errorRows, output.tableFile(ERRORS.name(), part), context.temp("errors.parquet"),
                            hadoop);
                }
                if (!resultRows.isEmpty()) {
                    ParquetTable results = job.results();
                    results.write(resultRows, output.tableFile(results.name(), part),
                            context.temp(results.name() + ".parquet"), hadoop);
                }
                doneCount.add(resultRows.size());
                errorCount.add(errorRows.size());
                double seconds = (System.nanoTime() - start) / 1e9;
                LOG.info(String.format(Locale.ROOT, "ij-genai %s partition %s: %d image(s), %d done, %d error(s)"
                        + " in %.1f s (%.1f images/s)", job.name(), part, images.size(), resultRows.size(),
                        errorRows.size(), seconds, images.size() / Math.max(seconds, 1e-9)));
                return List.of(new PartitionReport(part, images.size(), resultRows.size(), errorRows.size(),
                        seconds)).iterator();
            } finally {
                deleteRecursively(scratch);
            }
        }

        private Object[] row(InputImage image, Object[] columns) {
            Object[] row = new Object[COMMON.size() + columns.length];
            row[0] = image.key();
            row[1] = image.size();
            row[2] = image.modifiedMillis();
            row[3] = job.modelName();
            row[4] = job.modelHash();
            row[5] = run;
            System.arraycopy(columns, 0, row, COMMON.size(), columns.length);
            return row;
        }
    }

    static void deleteRecursively(java.nio.file.Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<java.nio.file.Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Scratch space; the OS temp cleaner gets what is left.
                }
            });
        } catch (IOException ignored) {
            // As above.
        }
    }
}
