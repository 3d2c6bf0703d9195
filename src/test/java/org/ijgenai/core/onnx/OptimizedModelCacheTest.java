package org.ijgenai.core.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.ijgenai.core.onnx.SessionSettings.Network;
import org.ijgenai.core.tensor.Tensor;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptimizedModelCacheTest {

    private static final SessionSettings TEXT = new SessionSettings(1, true, -1).forNetwork(Network.TEXT_ENCODER);

    @TempDir
    Path tmp;
    private Path cache;
    private Path model;
    private String previous;

    @BeforeEach
    void copyTheTextEncoder() throws Exception {
        previous = System.getProperty(OptimizedModelCache.PROPERTY);
        cache = tmp.resolve("cache");
        System.setProperty(OptimizedModelCache.PROPERTY, cache.toString());
        // A copy, so the test can touch it without changing the shared fixture.
        Path dir = Files.createDirectories(tmp.resolve("text_encoder"));
        model = Files.copy(Fixtures.file("tiny-sd-onnx/text_encoder/model.onnx"), dir.resolve("model.onnx"));
    }

    @AfterEach
    void restore() {
        if (previous == null) {
            System.clearProperty(OptimizedModelCache.PROPERTY);
        } else {
            System.setProperty(OptimizedModelCache.PROPERTY, previous);
        }
    }

    @Test
    void theFirstLoadWritesTheOptimisedGraphAndTheNextLoadsItWithTheSameOutputs() throws Exception {
        float[] first;
        try (OnnxModel m = OnnxModel.load(model, TEXT)) {
            assertEquals(model, m.sessionFile(), "nothing cached yet: the source is loaded");
            first = hidden(m);
        }
        List<Path> entries = entries();
        assertEquals(1, entries.size(), "one complete entry, no temporary folder left: " + entries);
        Path graph = entries.get(0).resolve(OptimizedModelCache.GRAPH);
        assertTrue(Files.size(graph) > 0);
        assertEquals(model.toAbsolutePath() + "\n", Files.readString(entries.get(0).resolve("source.txt")));
        try (OnnxModel m = OnnxModel.load(model, TEXT)) {
            assertEquals(graph, m.sessionFile(), "the second load reads the cached graph");
            assertEquals(m.inputs().keySet(), Map.of("input_ids", 0).keySet());
            assertArrayEquals(first, hidden(m), "the saved graph computes what the optimised session computed");
        }
        System.setProperty(OptimizedModelCache.PROPERTY, "false");
        try (OnnxModel m = OnnxModel.load(model, TEXT)) {
            assertEquals(model, m.sessionFile());
            assertArrayEquals(first, hidden(m), "and what a session without the cache computes");
        }
    }

    @Test
    void aChangedModelFileGetsANewEntry() throws Exception {
        try (OnnxModel m = OnnxModel.load(model, TEXT)) {
            assertEquals(model, m.sessionFile());
        }
        Files.setLastModifiedTime(model, FileTime.fromMillis(Files.getLastModifiedTime(model).toMillis() - 60_000));
        try (OnnxModel m = OnnxModel.load(model, TEXT)) {
            assertEquals(model, m.sessionFile(), "a replaced file must not load the old graph");
        }
        assertEquals(2, entries().size());
    }

    @Test
    void aDamagedEntryIsReplacedAndTheLoadStillWorks() throws Exception {
        float[] expected;
        try (OnnxModel m = OnnxModel.load(model, TEXT)) {
            expected = hidden(m);
        }
        Path graph = entries().get(0).resolve(OptimizedModelCache.GRAPH);
        Files.write(graph, new byte[] {1, 2, 3});
        try (OnnxModel m = OnnxModel.load(model, TEXT)) {
            assertEquals(model, m.sessionFile(), "an unreadable cached graph falls back to the source");
            assertArrayEquals(expected, hidden(m));
        }
        assertTrue(Files.size(graph) > 3, "and the entry is written anew");
        try (OnnxModel m = OnnxModel.load(model, TEXT)) {
            assertEquals(graph, m.sessionFile());
        }
    }

    @Test
    void anUnwritableCacheOnlyCostsTheCache() throws Exception {
        Files.writeString(cache, "a file where the cache folder should be");
        try (OnnxModel m = OnnxModel.load(model, TEXT)) {
            assertEquals(model, m.sessionFile());
            assertEquals(32, hidden(m).length / 77);
        }
    }

    @Test
    void onlyTheMeasuredNetworksAreCached() throws Exception {
        assertTrue(TEXT.savesOptimizedModel());
        assertTrue(TEXT.forNetwork(Network.VAE_DECODER).savesOptimizedModel());
        assertFalse(TEXT.forNetwork(Network.UNET).savesOptimizedModel(), "a second copy of the UNet does not pay");
        assertFalse(new SessionSettings(1, true, -1).savesOptimizedModel(), "other networks keep ALL, uncached");
        assertFalse(new SessionSettings(1, false, -1).forNetwork(Network.TEXT_ENCODER).savesOptimizedModel());
        assertFalse(new SessionSettings(1, true, 0).forNetwork(Network.TEXT_ENCODER).savesOptimizedModel(),
                "CUDA sessions optimise for their provider");
        try (OnnxModel m = OnnxModel.load(model, new SessionSettings(1, true, -1))) {
            assertEquals(model, m.sessionFile());
        }
        assertFalse(Files.exists(cache), "an uncached network writes nothing");
    }

    private List<Path> entries() throws Exception {
        try (Stream<Path> s = Files.list(cache)) {
            return s.sorted().toList();
        }
    }

    private static float[] hidden(OnnxModel m) {
        long[] ids = new long[77];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 37L + 5) % 679;
        }
        return m.run(Map.of("input_ids", Tensor.ofLongs(ids, 1, 77)), "text encoder").get("last_hidden_state")
                .floats();
    }
}
