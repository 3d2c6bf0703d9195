package org.ijgenai.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of the CLIP Spark job with 1 and 2 executor cores on the bundled shapes-clip. Each run is its own
 * JVM pinned with {@code taskset} to as many CPUs as Spark gets cores, because a task keeps more than one thread
 * busy (the indexer decodes the next images while the network runs) and ONNX Runtime and the JVM have threads
 * of their own: without pinning, "local[1]" already uses part of the second CPU and the comparison is not one
 * core against two. The two settings alternate so that drift in the machine's load hits both alike; a rerun on
 * the finished output (everything skipped) shows what an incremental run with nothing to do costs. Prints
 * images/s (the driver's figure, from listing to the merged index), speed-up and efficiency.
 * {@code mvn -Pbenchmarks test -Dtest=SparkClipBenchmark [-Dbenchmark.images=4800] [-Dbenchmark.rounds=2]
 * [-Dbenchmark.pin=false]}
 */
@Tag("benchmark")
class SparkClipBenchmark {

    private static final Pattern SUMMARY = Pattern.compile(
            "(\\d+) processed, (\\d+) error\\(s\\), \\d+ partition\\(s\\) in ([0-9.]+) s");

    @TempDir
    Path tmp;

    /** Runs the benchmark outside JUnit (same system properties), in a temporary folder. */
    public static void main(String[] args) throws Exception {
        SparkClipBenchmark benchmark = new SparkClipBenchmark();
        benchmark.tmp = Files.createTempDirectory("spark-clip-benchmark-");
        try {
            benchmark.clipJobAtOneAndTwoCores();
        } finally {
            JobRunner.deleteRecursively(benchmark.tmp);
        }
    }

    /** One measured run: wall time of the job as its driver reports it, and of the whole process. */
    private record Run(int images, double jobSeconds, double processSeconds) {
        double rate() {
            return images / jobSeconds;
        }
    }

    @Test
    void clipJobAtOneAndTwoCores() throws Exception {
        int count = Integer.getInteger("benchmark.images", 4800);
        int rounds = Integer.getInteger("benchmark.rounds", 2);
        boolean pin = Boolean.parseBoolean(System.getProperty("benchmark.pin", "true"))
                && Files.isExecutable(Path.of("/usr/bin/taskset"))
                && Runtime.getRuntime().availableProcessors() >= 2;
        Path images = tmp.resolve("images");
        TestImages.shapes(images, count, 5);
        Path warm = tmp.resolve("warm");
        TestImages.shapes(warm, 200, 6);
        run(warm, 2, "warm", pin); // fills the page cache with the model and the classes
        List<Run> one = new ArrayList<>();
        List<Run> two = new ArrayList<>();
        List<Double> fixed1 = new ArrayList<>();
        List<Double> fixed2 = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            one.add(run(images, 1, "one-" + r, pin));
            fixed1.add(run(images, 1, "one-" + r, pin).jobSeconds());
            two.add(run(images, 2, "two-" + r, pin));
            fixed2.add(run(images, 2, "two-" + r, pin).jobSeconds());
        }
        double median1 = median(one.stream().map(Run::rate).toList());
        double median2 = median(two.stream().map(Run::rate).toList());
        List<String> pairs = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            pairs.add(String.format(Locale.ROOT, "%.2f×", two.get(r).rate() / one.get(r).rate()));
        }
        System.out.printf(Locale.ROOT, "SparkClipBenchmark: %d images (64×64 PNG, shapes-clip), 100 per partition,"
                + " %s; images/s at 1 core %s, at 2 cores %s; speed-up per pair %s%n", count, pin
                ? "each run pinned with taskset" : "not pinned", rates(one), rates(two), pairs);
        System.out.printf(Locale.ROOT, "SparkClipBenchmark: an incremental rerun with nothing left to do took %s s at"
                + " 1 core, %s s at 2 cores (listing, reading the done tables, the anti-join)%n", fixed1, fixed2);
        System.out.printf(Locale.ROOT, "SparkClipBenchmark: median 1 core %.1f images/s, 2 cores %.1f images/s:"
                + " speed-up %.2f× (efficiency %.0f%%); %d processors, load average %.1f%n", median1, median2,
                median2 / median1, 50 * median2 / median1, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String rates(List<Run> runs) {
        List<String> out = new ArrayList<>();
        for (Run run : runs) {
            out.add(String.format(Locale.ROOT, "%.1f", run.rate()));
        }
        return out.toString();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Runs the job in its own JVM on the prefix {@code name} (a second run there skips everything). */
    private Run run(Path images, int cores, String name, boolean pin) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (pin) {
            command.addAll(List.of("/usr/bin/taskset", "-c", cores == 1 ? "0" : "0-" + (cores - 1)));
        }
        command.add(Processes.java());
        command.add("-Xmx2g");
        command.add("-Dai.djl.offline=true");
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // Spark's --add-opens and friends, as the test JVM got them from the pom.
            if (option.startsWith("--add-opens") || option.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                    || option.startsWith("-Djdk.reflect")) {
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(SparkCli.class.getName());
        command.addAll(List.of("clip-index", "--model", TestImages.SHAPES_CLIP.toString(), "--input",
                images.toString(), "--out", tmp.resolve("out-" + name).toString(), "--index",
                tmp.resolve("index-" + name).toString(), "--per-partition", "100", "--master",
                "local[" + cores + "]", "--conf", "spark.ui.enabled=false"));
        Path log = tmp.resolve("run-" + name + "-" + System.nanoTime() + ".log");
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(30, TimeUnit.MINUTES);
        double processSeconds = (System.nanoTime() - start) / 1e9;
        String printed = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, "the run ended within 30 minutes:\n" + printed);
        assertEquals(0, process.exitValue(), printed);
        Matcher m = SUMMARY.matcher(printed);
        assertTrue(m.find(), printed);
        int processed = Integer.parseInt(m.group(1));
        double seconds = Double.parseDouble(m.group(3));
        System.out.printf(Locale.ROOT, "SparkClipBenchmark: %s, %d core(s): %d images in %.1f s (process %.1f s)%n",
                name, cores, processed, seconds, processSeconds);
        return new Run(processed, seconds, processSeconds);
    }
}
