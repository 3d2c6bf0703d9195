package org.ijgenai.spark;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.ijgenai.cli.CliArgs;
import org.ijgenai.cli.UsageException;
import org.ijgenai.core.GenAiException;

/**
 * The command line of the Spark jobs, {@code bin/ij-genai spark clip-index|segment|style …} locally and
 * {@code spark-submit --class org.ijgenai.spark.SparkCli ij-genai-spark.jar clip-index …} (or the job's own
 * main class) on a cluster. Without a master from spark-submit or {@code --master}, it runs in local mode on every
 * core.
 */
public final class SparkCli {

    static final String USAGE = String.join("\n",
            "spark clip-index --model DIR --index DIR --out PREFIX (--input DIR|GLOB | --input-list FILE)"
                    + " [--per-partition N] [--batch N] [--threads-per-task N] [--merge-segments N] [COMMON]",
            "  spark segment --model DIR --out PREFIX (--input DIR|GLOB | --input-list FILE) [--threshold F]"
                    + " [--min-size N] [--tile N] [COMMON]",
            "  spark style --model DIR --out PREFIX (--input DIR|GLOB | --input-list FILE) [--strength F]"
                    + " [--tile N] [--format png|tif|jpg] [COMMON]",
            "  COMMON: [--master URL] [--conf KEY=VALUE]... [--max-bytes N] [--max-pixels N]");

    private static final long DEFAULT_MAX_BYTES = 1L << 30;
    private static final long DEFAULT_MAX_PIXELS = 200_000_000L;

    private SparkCli() {}

    /** Runs a job and exits with its code: 0 done, 1 failed, 2 usage error. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a job without exiting. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || Set.of("help", "--help", "-h").contains(args[0])) {
            out.println("usage: ij-genai " + USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String name = args[0];
        try {
            CliArgs options = new CliArgs(Arrays.asList(args).subList(1, args.length), Set.of());
            if (!options.positional().isEmpty()) {
                throw new UsageException("unexpected argument '" + options.positional().get(0) + "'");
            }
            String input = options.get("input", null);
            String list = options.get("input-list", null);
            if ((input == null) == (list == null)) {
                throw new UsageException("give exactly one of --input (a directory or glob) or --input-list");
            }
            String prefix = options.require("out");
            String model = options.require("model");
            int perPartition = options.getInt("per-partition", 200);
            long maxBytes = options.getLong("max-bytes", DEFAULT_MAX_BYTES);
            long maxPixels = options.getLong("max-pixels", DEFAULT_MAX_PIXELS);
            String master = options.get("master", null);
            List<String> confs = options.all("conf");
            ImageJob job;
            switch (name) {
                case ClipIndexJob.NAME -> job = new ClipIndexJob(model, options.require("index"),
                        options.getInt("batch", 16), options.getInt("threads-per-task", 1),
                        options.getInt("merge-segments", 0), maxBytes, maxPixels);
                case SegmentJob.NAME -> job = new SegmentJob(model, options.getDouble("threshold", 0.5),
                        options.getInt("min-size", 0), options.getInt("tile", 0),
                        options.getInt("threads-per-task", 1), maxBytes, maxPixels);
                case StyleJob.NAME -> job = new StyleJob(model, options.getDouble("strength", 1.0),
                        options.getInt("tile", 0), options.get("format", "png"),
                        options.getInt("threads-per-task", 1), maxBytes, maxPixels);
                default -> throw new UsageException("unknown Spark job '" + name
                        + "'; expected clip-index, segment or style");
            }
            options.rejectUnknown();
            SparkSession spark = session("ij-genai " + name, master, confs);
            try {
                JobSummary summary = JobRunner.run(spark, job, input, list, prefix, perPartition);
                out.println(summary.line());
                if (job.finishNote() != null) {
                    out.println(job.finishNote());
                }
            } finally {
                spark.stop();
            }
            return 0;
        } catch (UsageException e) {
            err.println("ij-genai spark " + name + ": " + e.getMessage());
            err.println("usage: ij-genai " + USAGE);
            return 2;
        } catch (GenAiException | IllegalArgumentException e) {
            err.println("ij-genai spark " + name + ": " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            // A failed Spark job wraps the task's exception; the innermost message names the file or model.
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            err.println("ij-genai spark " + name + ": " + (cause instanceof GenAiException ? cause.getMessage()
                    : cause.toString()));
            return 1;
        }
    }

    /** The job's name followed by its arguments, for the jobs' own main classes. */
    static String[] withJob(String job, String[] args) {
        String[] out = new String[args.length + 1];
        out[0] = job;
        System.arraycopy(args, 0, out, 1, args.length);
        return out;
    }

    private static SparkSession session(String app, String master, List<String> confs) {
        SparkConf conf = new SparkConf();
        for (String c : confs) {
            int eq = c.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--conf needs KEY=VALUE, got '" + c + "'");
            }
            conf.set(c.substring(0, eq), c.substring(eq + 1));
        }
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        if (conf.get("spark.master").startsWith("local") && !conf.contains("spark.sql.shuffle.partitions")) {
            // The listing joins and the shard list are tiny; Spark's 200 shuffle partitions only cost time here.
            conf.set("spark.sql.shuffle.partitions", "8");
        }
        return SparkSession.builder().appName(app).config(conf).getOrCreate();
    }
}
