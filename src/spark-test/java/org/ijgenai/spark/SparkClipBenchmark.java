package org.ijgenai.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Throughput of the CLIP Spark job at 1 and 2 local cores on the bundled shapes-clip, alternating the two
 * settings so that drift in the machine's load hits both alike; prints images/s and the parallel efficiency.
 * {@code mvn -Pbenchmarks test -Dtest=SparkClipBenchmark [-Dbenchmark.images=1200] [-Dbenchmark.rounds=2]}
 */
@Tag("benchmark")
class SparkClipBenchmark {

    private static final Pattern SUMMARY = Pattern.compile(
            "(\\d+) processed, (\\d+) error\\(s\\), \\d+ partition\\(s\\) in ([0-9.]+) s");
    private static final Pattern MERGE = Pattern.compile("shard\\(s\\) added in ([0-9.]+) s");

    @TempDir
    Path tmp;

    /** Runs the benchmark outside JUnit (same system properties), in a temporary folder. */
    public static void main(String[] args) throws IOException {
        SparkClipBenchmark benchmark = new SparkClipBenchmark();
        benchmark.tmp = java.nio.file.Files.createTempDirectory("spark-clip-benchmark-");
        try {
            benchmark.clipJobAtOneAndTwoCores();
        } finally {
            JobRunner.deleteRecursively(benchmark.tmp);
        }
    }

    @Test
    void clipJobAtOneAndTwoCores() throws IOException {
        int count = Integer.getInteger("benchmark.images", 1200);
        int rounds = Integer.getInteger("benchmark.rounds", 2);
        Path images = tmp.resolve("images");
        TestImages.shapes(images, count, 5);
        Path warm = tmp.resolve("warm");
        TestImages.shapes(warm, 200, 6);
        // Warm-up: loads one model per core into the executor pool and lets the JIT compile the hot paths.
        run(warm, 2, "warm");
        List<Double> one = new ArrayList<>();
        List<Double> two = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            one.add(run(images, 1, "one-" + r));
            two.add(run(images, 2, "two-" + r));
        }
        double best1 = one.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double best2 = two.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        System.out.printf(Locale.ROOT, "SparkClipBenchmark: %d images (64×64 PNG, shapes-clip), 100 per partition;"
                + " images/s at local[1] %s, at local[2] %s%n", count, one, two);
        System.out.printf(Locale.ROOT, "SparkClipBenchmark: best local[1] %.1f images/s, best local[2] %.1f"
                + " images/s: speed-up %.2f×, efficiency %.0f%% (%d processors, load average %.1f)%n", best1, best2,
                best2 / best1, 50 * best2 / best1, Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** Runs the job on a fresh prefix and returns processed images per second from listing to the last commit. */
    private double run(Path images, int cores, String name) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = SparkCli.run(new String[] {"clip-index", "--model", TestImages.SHAPES_CLIP.toString(),
            "--input", images.toString(), "--out", tmp.resolve("out-" + name).toString(), "--index",
            tmp.resolve("index-" + name).toString(), "--per-partition", "100", "--master", "local[" + cores + "]",
            "--conf", "spark.ui.enabled=false"}, new PrintStream(bytes, true, StandardCharsets.UTF_8), System.err);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        Matcher m = SUMMARY.matcher(printed);
        assertTrue(m.find(), printed);
        Matcher merge = MERGE.matcher(printed);
        double rate = Integer.parseInt(m.group(1)) / Double.parseDouble(m.group(3));
        System.out.printf(Locale.ROOT, "SparkClipBenchmark: %s local[%d]: %s images in %s s = %.1f images/s;"
                + " shard merge %s s%n", name, cores, m.group(1), m.group(3), rate, merge.find() ? merge.group(1)
                : "?");
        return rate;
    }
}
