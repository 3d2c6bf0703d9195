package org.ijgenai.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.ijgenai.core.search.ImageIndex;
import org.ijgenai.core.search.ImageIndexWriter;
import org.ijgenai.core.search.IndexMetadata;
import org.ijgenai.core.search.IndexedImage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the driver's merge costs: random unit vectors written as shards (as the CLIP job's tasks write them),
 * then added to one index (Lucene's addIndexes, which copies segments), then optionally force-merged into one
 * segment (which rebuilds the HNSW graph); prints the times and the query latency of both layouts.
 * {@code mvn -Pbenchmarks test -Dtest=ShardMergeBenchmark -Dbenchmark.vectors=100000 -Dbenchmark.dim=512
 * -Dbenchmark.shards=10 [-Dbenchmark.skipForceMerge=true]}
 */
@Tag("benchmark")
class ShardMergeBenchmark {

    @TempDir
    Path tmp;

    /** Runs the benchmark outside JUnit (same system properties), in a temporary folder. */
    public static void main(String[] args) throws java.io.IOException {
        ShardMergeBenchmark benchmark = new ShardMergeBenchmark();
        benchmark.tmp = java.nio.file.Files.createTempDirectory("shard-merge-benchmark-");
        try {
            benchmark.addIndexesAndForceMergeCost();
        } finally {
            JobRunner.deleteRecursively(benchmark.tmp);
        }
    }

    @Test
    void addIndexesAndForceMergeCost() {
        int vectors = Integer.getInteger("benchmark.vectors", 100_000);
        int dim = Integer.getInteger("benchmark.dim", 512);
        int shardCount = Integer.getInteger("benchmark.shards", 10);
        IndexMetadata meta = new IndexMetadata("random", null, dim);
        Random random = new Random(1);
        List<Path> shards = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int s = 0; s < shardCount; s++) {
            Path shard = tmp.resolve("shard-" + s);
            try (ImageIndexWriter writer = ImageIndexWriter.open(shard, meta)) {
                for (int i = s; i < vectors; i += shardCount) {
                    writer.put(new IndexedImage("/images/" + i + ".png", 0, i, i), randomVector(random, dim));
                }
            }
            shards.add(shard);
        }
        double build = (System.nanoTime() - t0) / 1e9;
        Path merged = tmp.resolve("merged");
        long t1 = System.nanoTime();
        try (ImageIndexWriter writer = ImageIndexWriter.open(merged, meta)) {
            writer.addShards(shards);
            writer.commit();
        }
        double add = (System.nanoTime() - t1) / 1e9;
        double[] latencyShards = latency(merged, dim);
        long t2 = System.nanoTime();
        double force = Double.NaN;
        double[] latencyOne = {Double.NaN, Double.NaN};
        if (!Boolean.getBoolean("benchmark.skipForceMerge")) {
            try (ImageIndexWriter writer = ImageIndexWriter.open(merged, meta)) {
                writer.forceMerge(1);
                writer.commit();
            }
            force = (System.nanoTime() - t2) / 1e9;
            latencyOne = latency(merged, dim);
        }
        System.out.printf(Locale.ROOT, "ShardMergeBenchmark: %d vectors of %d-d in %d shards: shards built in %.1f s"
                + " (%.0f vectors/s, what the tasks pay in parallel); addIndexes %.2f s; forceMerge(1) %.1f s;"
                + " top-10 query (beam 100) %.2f ms over %d segments, %.2f ms over 1; recall@10 vs exact %.2f / %.2f%n",
                vectors, dim, shardCount, build, vectors / build, add, force, latencyShards[0], shardCount,
                latencyOne[0], latencyShards[1], latencyOne[1]);
    }

    private static float[] randomVector(Random random, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** Median milliseconds of 50 HNSW queries, and their mean recall@10 against the exact scan of 10 of them. */
    private static double[] latency(Path index, int dim) {
        Random random = new Random(2);
        try (ImageIndex open = ImageIndex.open(index)) {
            List<Double> ms = new ArrayList<>();
            double recall = 0;
            for (int q = 0; q < 50; q++) {
                float[] query = randomVector(random, dim);
                long t = System.nanoTime();
                var hits = open.search(query, 10);
                ms.add((System.nanoTime() - t) / 1e6);
                if (q < 10) {
                    var exact = open.exactSearch(query, 10).stream().map(h -> h.image().path()).toList();
                    recall += hits.stream().filter(h -> exact.contains(h.image().path())).count() / 100.0;
                }
            }
            ms.sort(null);
            return new double[] {ms.get(ms.size() / 2), recall};
        }
    }
}
