package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.diffusion.network.Unet;
import org.ijgenai.core.diffusion.network.UnetConditioning;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.text.Emphasis;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * SDXL prompts of several chunks and with weights, on tiny-sdxl-onnx, against A1111's conditioning written out by
 * hand: the chunk ids and weights of A1111's {@code tokenize_line} for each tokenizer (transcribed, in
 * a1111_sdxl_chunk_refs.json), each chunk through each text encoder on its own, each encoder's penultimate states
 * weighted z·w·mean(z)/mean(z·w) in double (the mean over that encoder's chunk alone), the two joined on the
 * feature axis and the chunks one after the other; the pooled embedding text_encoder_2's of the first chunk,
 * unweighted.
 */
class SdxlChunkedPromptTest {

    /** A1111 chunk references, 4 chunks with weights 0.8 and 1/1.1 and a BREAK. */
    private static final String LONG_WEIGHTED = "(" + "a red circle on a blue background, ".repeat(12) + ":0.8) BREAK ["
            + "yellow star, ".repeat(10) + "]";
    /** Two chunks, unweighted: 85 tokens. */
    private static final String LONG = "red circle on blue background ".repeat(16) + ", star";
    private static final String WEIGHTED = "(a red circle:1.3) on a [blue] background";
    private static final String SHORT = "a red circle on a blue background";
    /** The text encoders' hidden width in the fixture (32 each, 64 joined). */
    private static final int D = 32;
    private static final int POSITIONS = 77;

    @TempDir
    Path temp;

    /** One chunk as A1111 feeds it to a text encoder. */
    private record Chunk(int[] ids, double[] weights) {}

    @Test
    void aLongWeightedPromptIsA1111sFormulaPerEncoder() throws IOException {
        try (StableDiffusionModel model = fixture()) {
            List<Chunk> first = refChunks(LONG_WEIGHTED, false);
            List<Chunk> second = refChunks(LONG_WEIGHTED, true);
            assertEquals(4, first.size());
            UnetConditioning c = new SdxlPromptEncoder(model).encode(request(LONG_WEIGHTED, null, 1.0,
                    Emphasis.ORIGINAL), false);
            assertArrayEquals(new long[] {1, 4 * POSITIONS, 2 * D}, c.hiddenStates().shape());
            assertClose(expectedRow(model, first, second, 4), c.hiddenStates().floats());
            // zs[0].pooled: the first chunk's, from before the weighting
            assertArrayEquals(pooled(model, second.get(0)), c.extraInputs().get(Unet.TEXT_EMBEDS).floats());
        }
    }

    @Test
    void aWeightedPromptIsWeightedAndItsNegativeIsNot() throws IOException {
        try (StableDiffusionModel model = fixture()) {
            List<Chunk> first = refChunks(WEIGHTED, false);
            List<Chunk> second = refChunks(WEIGHTED, true);
            assertTrue(Arrays.stream(first.get(0).weights()).anyMatch(w -> w != 1.0), "the reference is weighted");
            SdxlPromptEncoder encoder = new SdxlPromptEncoder(model);
            UnetConditioning c = encoder.encode(request(WEIGHTED, "blurry", 5.0, Emphasis.ORIGINAL), true);
            float[] hidden = c.hiddenStates().floats();
            int row = POSITIONS * 2 * D;
            List<Chunk> blurry1 = List.of(plain(model.tokenizer().encode("blurry").ids()));
            List<Chunk> blurry2 = List.of(plain(model.tokenizer2().encode("blurry").ids()));
            assertClose(expectedRow(model, blurry1, blurry2, 1), Arrays.copyOfRange(hidden, 0, row));
            assertClose(expectedRow(model, first, second, 1), Arrays.copyOfRange(hidden, row, 2 * row));
            float[] pooled = c.extraInputs().get(Unet.TEXT_EMBEDS).floats();
            float[] pooledPositive = pooled(model, second.get(0));
            assertArrayEquals(pooledPositive, Arrays.copyOfRange(pooled, pooled.length / 2, pooled.length));
            // Ignore parses the brackets away and leaves the states as the encoders give them.
            float[] ignored = encoder.encode(request(WEIGHTED, null, 1.0, Emphasis.IGNORE), false).hiddenStates()
                    .floats();
            assertArrayEquals(plainRow(model, first, second), ignored);
            assertFalse(Arrays.equals(ignored, Arrays.copyOfRange(hidden, row, 2 * row)));
        }
    }

    @Test
    void noNegativeGivesZerosAtTwoChunks() throws IOException {
        try (StableDiffusionModel model = fixture()) {
            assertTrue(model.folder().forceZerosForEmptyPrompt());
            UnetConditioning c = new SdxlPromptEncoder(model).encode(request(LONG, null, 7.0, Emphasis.ORIGINAL),
                    true);
            assertArrayEquals(new long[] {2, 2 * POSITIONS, 2 * D}, c.hiddenStates().shape());
            float[] hidden = c.hiddenStates().floats();
            for (int i = 0; i < hidden.length / 2; i++) {
                assertEquals(0f, hidden[i], "negative element " + i);
            }
            assertClose(expectedRow(model, refChunks(LONG, false), refChunks(LONG, true), 2),
                    Arrays.copyOfRange(hidden, hidden.length / 2, hidden.length));
            float[] pooled = c.extraInputs().get(Unet.TEXT_EMBEDS).floats();
            for (int i = 0; i < pooled.length / 2; i++) {
                assertEquals(0f, pooled[i], "negative pooled element " + i);
            }
            assertArrayEquals(pooled(model, refChunks(LONG, true).get(0)),
                    Arrays.copyOfRange(pooled, pooled.length / 2, pooled.length));
        }
    }

    @Test
    void aLongerPrompt2PadsEveryOtherRowWithItsEncodersEmptyChunk() throws IOException {
        try (StableDiffusionModel model = fixture()) {
            GenerationRequest request = request(SHORT, "blurry", 5.0, Emphasis.ORIGINAL).withSecondPrompts(LONG, null);
            SdxlPromptEncoder encoder = new SdxlPromptEncoder(model);
            assertEquals(2, encoder.chunks(request, true));
            UnetConditioning c = encoder.encode(request, true);
            assertArrayEquals(new long[] {2, 2 * POSITIONS, 2 * D}, c.hiddenStates().shape());
            Chunk empty1 = refChunks("", false).get(0);
            Chunk empty2 = refChunks("", true).get(0);
            assertEquals(0, empty2.ids()[3], "tokenizer_2's empty chunk pads with '!' (id 0)");
            List<Chunk> negative1 = List.of(plain(model.tokenizer().encode("blurry").ids()), empty1);
            List<Chunk> negative2 = List.of(plain(model.tokenizer2().encode("blurry").ids()), empty2);
            List<Chunk> positive1 = List.of(refChunks(SHORT, false).get(0), empty1);
            List<Chunk> positive2 = refChunks(LONG, true);
            float[] hidden = c.hiddenStates().floats();
            int half = hidden.length / 2;
            assertClose(expectedRow(model, negative1, negative2, 2), Arrays.copyOfRange(hidden, 0, half));
            assertClose(expectedRow(model, positive1, positive2, 2), Arrays.copyOfRange(hidden, half, hidden.length));
            float[] pooled = c.extraInputs().get(Unet.TEXT_EMBEDS).floats();
            assertArrayEquals(pooled(model, positive2.get(0)),
                    Arrays.copyOfRange(pooled, pooled.length / 2, pooled.length));
        }
    }

    @Test
    void minChunksPadsWithEmptyChunksForPromptWalks() throws IOException {
        try (StableDiffusionModel model = fixture()) {
            UnetConditioning c = new SdxlPromptEncoder(model).encode(request(SHORT, null, 1.0, Emphasis.ORIGINAL),
                    false, 2);
            List<Chunk> first = List.of(refChunks(SHORT, false).get(0), refChunks("", false).get(0));
            List<Chunk> second = List.of(refChunks(SHORT, true).get(0), refChunks("", true).get(0));
            assertClose(expectedRow(model, first, second, 2), c.hiddenStates().floats());
            UnetConditioning walked = new PromptBlend(SHORT, LONG, 0.5).over(new SdxlPromptEncoder(model))
                    .encode(request(SHORT, "blurry", 5.0, Emphasis.ORIGINAL), true);
            assertArrayEquals(new long[] {2, 2 * POSITIONS, 2 * D}, walked.hiddenStates().shape());
        }
    }

    @Test
    void aPlainShortPromptIsBitIdenticalToDiffusersIds() throws IOException {
        try (StableDiffusionModel model = fixture()) {
            UnetConditioning c = new SdxlPromptEncoder(model).encode(request(SHORT, "blurry", 5.0,
                    Emphasis.ORIGINAL), true);
            float[] negative = joined(model, model.tokenizer().encode("blurry").ids(),
                    model.tokenizer2().encode("blurry").ids());
            float[] positive = joined(model, model.tokenizer().encode(SHORT).ids(),
                    model.tokenizer2().encode(SHORT).ids());
            assertArrayEquals(ClipPromptEncoder.concat(negative, positive), c.hiddenStates().floats());
        }
    }

    @Test
    void aFixedLengthUnetGetsTheFirstChunkAndAWarning() throws IOException {
        Path folder = sdxlWithUnet(resource("unet_fixed_text_length"));
        String expected = "the prompt needs 2 chunks of 75 tokens but this UNet export takes a fixed text length of 77"
                + " (its encoder_hidden_states sequence axis is not dynamic): only the first 75 tokens are used";
        try (StableDiffusionModel model = StableDiffusionModel.open(folder, SessionSettings.DEFAULT)) {
            assertEquals(77, model.unet().fixedSequenceLength());
            List<String> warnings = new ArrayList<>();
            UnetConditioning c = new SdxlPromptEncoder(model, warnings::add).encode(request(LONG, null, 1.0,
                    Emphasis.ORIGINAL), false);
            assertEquals(List.of(expected), warnings);
            assertArrayEquals(new long[] {1, POSITIONS, 2 * D}, c.hiddenStates().shape());
            assertClose(expectedRow(model, refChunks(LONG, false).subList(0, 1), refChunks(LONG, true).subList(0, 1),
                    1), c.hiddenStates().floats());

            warnings.clear();
            new SdxlPromptEncoder(model, warnings::add).encode(request(SHORT, null, 1.0, Emphasis.ORIGINAL), false);
            assertEquals(List.of(), warnings, "a prompt of one chunk fits");

            GeneratedImages images = new StableDiffusionPipeline(model).optWarnings(warnings::add).textToImage(
                    request(LONG, "blurry", 5.0, Emphasis.ORIGINAL), StepListener.NONE, ProgressListener.NONE,
                    CancellationToken.NONE);
            assertEquals(List.of(expected), warnings, "the pipeline warns once and runs the export");
            assertEquals(1, images.images().size());
        }
    }

    // ---- the reference, written out -----------------------------------------------------------------------

    /**
     * One row's conditioning: for each chunk, each encoder's penultimate states weighted by A1111's "Original"
     * emphasis in double, joined on the feature axis (text_encoder first); the chunks one after the other.
     */
    private static float[] expectedRow(StableDiffusionModel model, List<Chunk> first, List<Chunk> second, int chunks) {
        assertEquals(chunks, first.size());
        assertEquals(chunks, second.size());
        float[] out = new float[chunks * POSITIONS * 2 * D];
        for (int k = 0; k < chunks; k++) {
            float[] a = original(model.textEncoder().encodeLayers(new int[][] {first.get(k).ids()}).penultimate()
                    .floats(), first.get(k).weights());
            float[] b = original(model.textEncoder2().encodeLayers(new int[][] {second.get(k).ids()}).penultimate()
                    .floats(), second.get(k).weights());
            for (int t = 0; t < POSITIONS; t++) {
                System.arraycopy(a, t * D, out, (k * POSITIONS + t) * 2 * D, D);
                System.arraycopy(b, t * D, out, (k * POSITIONS + t) * 2 * D + D, D);
            }
        }
        return out;
    }

    /** A1111's EmphasisOriginal on one encoder's chunk: z·w, then times mean(z)/mean(z·w). */
    private static float[] original(float[] z, double[] w) {
        double before = 0;
        double after = 0;
        for (int i = 0; i < z.length; i++) {
            before += z[i];
            after += z[i] * w[i / D];
        }
        float[] out = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = (float) (z[i] * w[i / D] * (before / after));
        }
        return out;
    }

    /** The row of the same chunks with every weight 1: the encoders' own states. */
    private static float[] plainRow(StableDiffusionModel model, List<Chunk> first, List<Chunk> second) {
        List<Chunk> a = new ArrayList<>();
        List<Chunk> b = new ArrayList<>();
        first.forEach(c -> a.add(plain(c.ids())));
        second.forEach(c -> b.add(plain(c.ids())));
        return expectedRow(model, a, b, first.size());
    }

    private static float[] joined(StableDiffusionModel model, int[] ids1, int[] ids2) {
        return expectedRow(model, List.of(plain(ids1)), List.of(plain(ids2)), 1);
    }

    private static float[] pooled(StableDiffusionModel model, Chunk chunk) {
        return model.textEncoder2().encodeLayers(new int[][] {chunk.ids()}).pooled().floats();
    }

    private static Chunk plain(int[] ids) {
        double[] w = new double[ids.length];
        Arrays.fill(w, 1.0);
        return new Chunk(ids, w);
    }

    /** A1111's chunks of a prompt for tokenizer/ or tokenizer_2/, from the transcribed reference. */
    private static List<Chunk> refChunks(String prompt, boolean second) throws IOException {
        JsonObject refs;
        try (InputStream in = SdxlChunkedPromptTest.class.getResourceAsStream(
                "/org/ijgenai/core/text/a1111_sdxl_chunk_refs.json")) {
            refs = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
        String name = "fixtures:tiny-sdxl-onnx/" + (second ? "tokenizer_2" : "tokenizer");
        for (JsonElement e : refs.getAsJsonObject("chunks").getAsJsonArray(name)) {
            JsonObject c = e.getAsJsonObject();
            if (!c.get("prompt").getAsString().equals(prompt)) {
                continue;
            }
            List<Chunk> chunks = new ArrayList<>();
            for (JsonElement chunk : c.getAsJsonArray("chunks")) {
                JsonArray ids = chunk.getAsJsonObject().getAsJsonArray("ids");
                JsonArray weights = chunk.getAsJsonObject().getAsJsonArray("weights");
                int[] i = new int[ids.size()];
                double[] w = new double[ids.size()];
                for (int k = 0; k < i.length; k++) {
                    i[k] = ids.get(k).getAsInt();
                    w[k] = weights.get(k).getAsDouble();
                }
                chunks.add(new Chunk(i, w));
            }
            return chunks;
        }
        throw new IllegalArgumentException("no reference for " + prompt);
    }

    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6 * Math.max(1, Math.abs(expected[i])), "element " + i);
        }
    }

    private static GenerationRequest request(String prompt, String negative, double guidance, Emphasis emphasis) {
        return new GenerationRequest(List.of(prompt), negative, 3, 2, guidance, "euler", 64, 64, 1, 0.75, emphasis);
    }

    private static StableDiffusionModel fixture() {
        return StableDiffusionModel.open(Fixtures.file("tiny-sdxl-onnx"), SessionSettings.DEFAULT);
    }

    /** The SDXL fixture with its UNet replaced, every part a link. */
    private Path sdxlWithUnet(Path unet) throws IOException {
        return Fixtures.linkedModel("tiny-sdxl-onnx", temp.resolve("model"), Map.of("unet", unet));
    }

    private static Path resource(String name) {
        try {
            return Path.of(SdxlChunkedPromptTest.class.getResource("/org/ijgenai/core/diffusion/sdxl/" + name
                    + "/model.onnx").toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
