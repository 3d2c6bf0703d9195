package org.ijgenai.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.ijgenai.core.GenAiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shards written apart (one per Spark partition) add up to the index one writer would have built. */
class ImageIndexShardsTest {

    private static final IndexMetadata META = new IndexMetadata("model-a", "/models/a", 8);

    @TempDir
    Path tmp;

    private static float[] vector(Random random) {
        float[] v = new float[8];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private Map<String, float[]> shard(Path dir, int from, int to, long seed) {
        Random random = new Random(seed);
        Map<String, float[]> written = new HashMap<>();
        try (ImageIndexWriter writer = ImageIndexWriter.open(dir, META)) {
            for (int i = from; i < to; i++) {
                float[] v = vector(random);
                writer.put(new IndexedImage("/img/" + i + ".png", 0, 100 + i, 1000 + i), v);
                written.put("/img/" + i + ".png", Vectors.normalized(v.clone()));
            }
        }
        return written;
    }

    @Test
    void addedShardsSearchExactlyLikeOneIndexAndAddingThemAgainChangesNothing() {
        Map<String, float[]> all = new HashMap<>();
        all.putAll(shard(tmp.resolve("s1"), 0, 50, 1));
        all.putAll(shard(tmp.resolve("s2"), 50, 120, 2));
        Path merged = tmp.resolve("merged");
        for (int round = 0; round < 2; round++) {
            try (ImageIndexWriter writer = ImageIndexWriter.open(merged, META)) {
                writer.addShards(List.of(tmp.resolve("s1"), tmp.resolve("s2")));
                writer.commit();
            }
        }
        float[] query = vector(new Random(9));
        try (ImageIndex index = ImageIndex.open(merged)) {
            assertEquals(META, index.metadata());
            assertEquals(120, index.size(), "one entry per image after adding the shards twice");
            List<SearchHit> hits = index.exactSearch(query, 5);
            float[] q = Vectors.normalized(query.clone());
            List<Map.Entry<String, float[]>> byScore = all.entrySet().stream().sorted((a, b) ->
                    Double.compare(Vectors.dot(q, b.getValue()), Vectors.dot(q, a.getValue()))).toList();
            for (int i = 0; i < 5; i++) {
                assertEquals(byScore.get(i).getKey(), hits.get(i).image().path());
                assertEquals(Vectors.dot(q, byScore.get(i).getValue()), hits.get(i).cosine(), 1e-6);
            }
            Map<String, IndexedImage> seen = new HashMap<>();
            index.forEachEntry((entry, v) -> seen.put(entry.key(), entry));
            assertEquals(all.keySet(), seen.keySet());
        }
    }

    @Test
    void aNewerShardReplacesTheEntryOfAChangedImage() {
        shard(tmp.resolve("old"), 0, 10, 1);
        Path changed = tmp.resolve("new");
        try (ImageIndexWriter writer = ImageIndexWriter.open(changed, META)) {
            writer.put(new IndexedImage("/img/3.png", 0, 999, 5555), vector(new Random(3)));
        }
        Path merged = tmp.resolve("merged");
        try (ImageIndexWriter writer = ImageIndexWriter.open(merged, META)) {
            writer.addShards(List.of(tmp.resolve("old")));
            writer.addShards(List.of(changed));
            writer.commit();
        }
        try (ImageIndex index = ImageIndex.open(merged)) {
            assertEquals(10, index.size());
            Map<String, IndexedImage> seen = new HashMap<>();
            index.forEachEntry((entry, v) -> seen.put(entry.key(), entry));
            assertEquals(5555, seen.get("/img/3.png").modifiedMillis());
        }
    }

    @Test
    void aShardOfAnotherModelIsRefused() {
        try (ImageIndexWriter writer = ImageIndexWriter.open(tmp.resolve("other"),
                new IndexMetadata("model-b", "/models/b", 8))) {
            writer.put(new IndexedImage("/img/x.png", 0, 1, 1), vector(new Random(1)));
        }
        try (ImageIndexWriter writer = ImageIndexWriter.open(tmp.resolve("merged"), META)) {
            GenAiException e = assertThrows(GenAiException.class,
                    () -> writer.addShards(List.of(tmp.resolve("other"))));
            assertEquals(true, e.getMessage().contains("model-b"), e.getMessage());
        }
    }
}
