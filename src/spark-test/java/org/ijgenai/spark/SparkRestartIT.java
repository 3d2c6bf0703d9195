package org.ijgenai.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ijgenai.core.search.ImageIndex;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the driver (a separate JVM in local mode, so executors die with it) after a few partitions
 * have committed; a rerun then finishes the rest, and every image is in the table and the index exactly once.
 */
class SparkRestartIT {

    private static final int IMAGES = 300;

    @TempDir
    Path tmp;

    @Test
    void rerunAfterKillNineFinishesEveryImageExactlyOnce() throws Exception {
        Path images = tmp.resolve("images");
        List<Path> drawn = TestImages.shapes(images, IMAGES, 7);
        TestImages.corrupt(images.resolve("bad"), drawn.get(0));
        Path out = tmp.resolve("out");
        Path index = tmp.resolve("index");
        List<String> args = List.of("clip-index", "--model", TestImages.SHAPES_CLIP.toString(), "--input",
                images.toString(), "--out", out.toString(), "--index", index.toString(), "--per-partition", "10",
                "--master", "local[2]", "--conf", "spark.ui.enabled=false");

        List<String> command = new ArrayList<>();
        command.add(Processes.java());
        command.add("-Xmx2g");
        command.add("-Dai.djl.offline=true");
        command.addAll(List.of(System.getProperty("ijgenai.spark.jvm.options", "").trim().split("\\s+")));
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(SparkCli.class.getName());
        command.addAll(args);
        Path log = tmp.resolve("killed-run.log");
        Process driver = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int committedAtKill;
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (committed(out) < 3 && driver.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            committedAtKill = committed(out);
        } finally {
            // Process.destroyForcibly is SIGKILL on Linux: no shutdown hooks, no cleanup, like kill -9.
            driver.destroyForcibly();
            driver.waitFor(60, TimeUnit.SECONDS);
        }
        assertTrue(committedAtKill >= 3, "the first run committed partitions before the kill:\n"
                + Files.readString(log));
        assertTrue(committedAtKill * 10 < IMAGES, "killed midway, not after the end (" + committedAtKill
                + " partitions committed)");
        assertFalse(Files.exists(index.resolve("segments_1")), "the killed run never reached the merge");

        String rerun = SparkJobs.run(args.get(0), args.subList(1, args.size() - 4).toArray(new String[0]));
        assertFalse(rerun.contains(" 0 already done"), "the rerun kept the killed run's work: " + rerun);

        SparkSession spark = SparkJobs.session();
        try {
            Dataset<Row> table = spark.read().parquet(out.resolve("embeddings").toString());
            assertEquals(IMAGES, table.count(), "one row per image");
            Set<String> paths = table.select("path").collectAsList().stream().map(r -> r.getString(0))
                    .collect(Collectors.toSet());
            assertEquals(drawn.stream().map(p -> p.toAbsolutePath().toString()).collect(Collectors.toSet()), paths);
            assertEquals(3, spark.read().parquet(out.resolve("errors").toString()).count(), "three bad files, once");
        } finally {
            spark.stop();
        }
        Set<String> keys = new HashSet<>();
        try (ImageIndex merged = ImageIndex.open(index)) {
            assertEquals(IMAGES, merged.size());
            merged.forEachEntry((entry, vector) -> assertTrue(keys.add(entry.key()), "twice in the index: "
                    + entry.key()));
        }
        assertEquals(IMAGES, keys.size());
        assertFalse(Files.exists(out.resolve("_tmp")), "no temporary files left");
        try (Stream<Path> shards = Files.list(out.resolve("shards"))) {
            assertEquals(List.of(), shards.collect(Collectors.toList()), "merged and orphan shards are removed");
        }
    }

    private static int committed(Path out) throws IOException {
        Path table = out.resolve("embeddings");
        if (!Files.isDirectory(table)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(table)) {
            return (int) files.filter(p -> p.getFileName().toString().endsWith(".parquet")
                    && p.getFileName().toString().startsWith("part-")).count();
        }
    }

}
