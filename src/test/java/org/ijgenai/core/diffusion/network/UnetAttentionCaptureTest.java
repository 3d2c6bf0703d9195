package org.ijgenai.core.diffusion.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.io.NpyArray;
import org.ijgenai.core.io.NpzArchive;
import org.ijgenai.core.onnx.AttentionGraph;
import org.ijgenai.core.onnx.AttentionSite;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The captured cross-attention probabilities of a tiny diffusers UNet, against what a recording attention processor
 * saw in PyTorch on the same weights and inputs (tools/attention/make_attention_fixtures.py), for both attention
 * layouts, square and non-square latents, and a guided batch of two images.
 */
class UnetAttentionCaptureTest {

    private static final double TOLERANCE = 1e-5;
    private static final String[] LAYERS = {
        "down_blocks.0.attentions.0.transformer_blocks.0.attn2",
        "down_blocks.1.attentions.0.transformer_blocks.0.attn2",
        "mid_block.attentions.0.transformer_blocks.0.attn2",
        "up_blocks.0.attentions.0.transformer_blocks.0.attn2",
        "up_blocks.0.attentions.1.transformer_blocks.0.attn2",
        "up_blocks.1.attentions.0.transformer_blocks.0.attn2",
        "up_blocks.1.attentions.1.transformer_blocks.0.attn2"};
    private static final int HEADS = 2;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(UnetAttentionCaptureTest.class.getResource("/org/ijgenai/core/onnx/attention/" + name).toURI());
    }

    @ParameterizedTest
    @CsvSource({"tiny_unet.onnx", "tiny_unet_4d.onnx"})
    void graphFindsEveryCrossAttentionLayerByItsKeys(String file) throws Exception {
        AttentionGraph graph = AttentionGraph.read(resource(file));
        assertEquals(14, graph.sites().size(), "7 self- and 7 cross-attention layers");
        List<String> cross = new ArrayList<>();
        for (AttentionSite site : graph.sitesWithKeysFrom("encoder_hidden_states")) {
            cross.add(site.layer().replaceFirst("^unet\\.", ""));
        }
        assertEquals(List.of(LAYERS), cross);
        for (AttentionSite site : graph.sites()) {
            if (site.layer().endsWith("attn1")) {
                assertTrue(site.keyInputs().contains("sample"), site + " is self-attention on the latents");
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "tiny_unet.onnx, square", "tiny_unet.onnx, wide", "tiny_unet.onnx, guided",
        "tiny_unet_4d.onnx, square", "tiny_unet_4d.onnx, wide", "tiny_unet_4d.onnx, guided"})
    void everyHeadEqualsTheRecordingProcessor(String file, String kase) throws Exception {
        try (NpzArchive refs = NpzArchive.open(resource("attention_refs.npz"))) {
            Map<String, Tensor> captured = run(file, kase, AttentionGraph.Reduction.EACH_HEAD, refs);
            for (String layer : LAYERS) {
                NpyArray expected = refs.get(kase + "/" + layer); // [batch·heads, q, k]
                Tensor actual = captured.get(layer); // [batch, heads, q, k]
                long batch = refs.get(kase + "/sample").shape()[0];
                assertEquals(List.of(batch, (long) HEADS, expected.shape()[1], expected.shape()[2]),
                        List.of(actual.dim(0), actual.dim(1), actual.dim(2), actual.dim(3)), layer);
                assertClose(expected.floats(), actual.floats(), kase + " " + layer);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"tiny_unet.onnx, square", "tiny_unet.onnx, wide", "tiny_unet.onnx, guided",
        "tiny_unet_4d.onnx, guided"})
    void headMeanOfTheConditionalHalfEqualsNumpy(String file, String kase) throws Exception {
        try (NpzArchive refs = NpzArchive.open(resource("attention_refs.npz"))) {
            Map<String, Tensor> captured = run(file, kase, AttentionGraph.Reduction.HEAD_MEAN, refs);
            boolean guided = kase.equals("guided");
            for (String layer : LAYERS) {
                float[] expected = refs.get(kase + "/" + layer + "/cond_mean").floats();
                Tensor actual = captured.get(layer); // [batch, 1, q, k]
                assertEquals(1, actual.dim(1), "heads averaged in the graph");
                float[] all = actual.floats();
                int from = guided ? all.length / 2 : 0;
                float[] conditional = java.util.Arrays.copyOfRange(all, from, all.length);
                assertClose(expected, conditional, kase + " " + layer);
            }
        }
    }

    @Test
    void captureLeavesThePredictionAsTorchComputedIt() throws Exception {
        try (NpzArchive refs = NpzArchive.open(resource("attention_refs.npz"))) {
            float[][] prediction = new float[1][];
            run("tiny_unet.onnx", "wide", AttentionGraph.Reduction.HEAD_MEAN, refs, prediction);
            float[] expected = refs.get("wide/out_sample").floats();
            double worst = 0;
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(expected[i] - prediction[0][i]));
            }
            assertTrue(worst < 1e-4, "max |Δ| = " + worst);
        }
    }

    @Test
    void externalWeightsAreReadWhereTheyAre(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // The same UNet with its weights moved to model.onnx_data, as exports over 2 GB keep them.
        Path folder = Files.createDirectories(dir.resolve("unet"));
        Path onnx = folder.resolve("model.onnx");
        externalize(resource("tiny_unet.onnx"), onnx, folder.resolve("model.onnx_data"));
        assertTrue(Files.size(onnx) < Files.size(resource("tiny_unet.onnx")) / 2, "weights moved out: " + Files.size(onnx));
        try (NpzArchive refs = NpzArchive.open(resource("attention_refs.npz"))) {
            NpyArray sample = refs.get("square/sample");
            Map<String, Tensor> captured = new LinkedHashMap<>();
            try (Unet unet = Unet.loadCapturing(onnx, new SessionSettings(1, true, -1),
                    AttentionGraph.Reduction.EACH_HEAD, (t, layers) -> captured.putAll(layers))) {
                unet.predict(sample.floats(), 1, 8, 8, 501.0, new UnetConditioning(
                        refs.get("square/encoder_hidden_states").toTensor(), null, Map.of()));
            }
            assertClose(refs.get("square/" + LAYERS[0]).floats(), captured.get("unet." + LAYERS[0]).floats(),
                    "external data");
        }
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            assertEquals(2, files.count(), "nothing written beside the model");
        }
    }

    private static void externalize(Path from, Path onnx, Path data) throws IOException {
        org.ijgenai.core.onnx.proto.OnnxProto.ModelProto model =
                org.ijgenai.core.onnx.proto.OnnxProto.ModelProto.parseFrom(Files.readAllBytes(from));
        org.ijgenai.core.onnx.proto.OnnxProto.GraphProto.Builder graph = model.getGraph().toBuilder();
        java.io.ByteArrayOutputStream weights = new java.io.ByteArrayOutputStream();
        for (org.ijgenai.core.onnx.proto.OnnxProto.TensorProto.Builder t : graph.getInitializerBuilderList()) {
            if (t.getRawData().size() < 64) {
                continue;
            }
            long offset = weights.size();
            t.getRawData().writeTo(weights);
            t.clearRawData().setDataLocation(org.ijgenai.core.onnx.proto.OnnxProto.TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", data.getFileName().toString()))
                    .addExternalData(entry("offset", Long.toString(offset)))
                    .addExternalData(entry("length", Long.toString(weights.size() - offset)));
        }
        Files.write(data, weights.toByteArray());
        Files.write(onnx, model.toBuilder().setGraph(graph).build().toByteArray());
    }

    private static org.ijgenai.core.onnx.proto.OnnxProto.StringStringEntryProto entry(String key, String value) {
        return org.ijgenai.core.onnx.proto.OnnxProto.StringStringEntryProto.newBuilder().setKey(key).setValue(value)
                .build();
    }

    @Test
    void fusedAttentionIsRefusedInWords() throws Exception {
        Path fused = resource("fused_attention.onnx");
        AttentionGraph graph = AttentionGraph.read(fused);
        assertEquals(List.of("com.microsoft.MultiHeadAttention /attn2/MultiHeadAttention"), graph.fusedNodes());
        GenAiException e = assertThrows(GenAiException.class,
                () -> Unet.loadCapturing(fused, new SessionSettings(1, true, -1), AttentionGraph.Reduction.HEAD_MEAN,
                        (t, layers) -> { }));
        assertTrue(e.getMessage().startsWith("cannot capture: fused attention ops in " + fused), e.getMessage());
    }

    @Test
    void aFileThatIsNotOnnxIsNamed() throws IOException {
        Path bad = Files.createTempFile("not-onnx", ".onnx");
        try {
            Files.writeString(bad, "definitely not a protobuf \u0000\u00ff");
            GenAiException e = assertThrows(GenAiException.class, () -> AttentionGraph.read(bad));
            assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        } finally {
            Files.delete(bad);
        }
    }

    private static Map<String, Tensor> run(String file, String kase, AttentionGraph.Reduction reduction,
            NpzArchive refs) throws Exception {
        return run(file, kase, reduction, refs, new float[1][]);
    }

    private static Map<String, Tensor> run(String file, String kase, AttentionGraph.Reduction reduction,
            NpzArchive refs, float[][] prediction) throws Exception {
        Map<String, Tensor> captured = new LinkedHashMap<>();
        NpyArray sample = refs.get(kase + "/sample");
        long[] shape = sample.shape();
        try (Unet unet = Unet.loadCapturing(resource(file), new SessionSettings(1, true, -1), reduction,
                (t, layers) -> layers.forEach((k, v) -> captured.put(k.replaceFirst("^unet\\.", ""), v)))) {
            assertEquals(7, unet.attentionLayers().size());
            prediction[0] = unet.predict(sample.floats(), (int) shape[0], (int) shape[2], (int) shape[3], 501.0,
                    new UnetConditioning(refs.get(kase + "/encoder_hidden_states").toTensor(), null, Map.of()));
        }
        return captured;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " size");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= TOLERANCE, what + ": max |Δ| = " + worst);
    }
}
