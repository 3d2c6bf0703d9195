package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ijgenai.core.diffusion.network.TextEncoder;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.tensor.Tensor;
import org.ijgenai.core.text.ChunkedPrompt;
import org.ijgenai.core.text.ClipTokenizer;
import org.ijgenai.core.text.Emphasis;
import org.ijgenai.core.text.PromptChunker;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Weighted and multi-chunk prompt encoding on the tiny fixture text encoder, against the formulas written out by
 * hand in double precision: A1111's Original emphasis z·w·mean(z)/mean(z·w), ComfyUI's z_e + (z − z_e)·w, chunks
 * concatenated along the sequence, the negative padded with empty chunks.
 */
class WeightedPromptEncodingTest {

    private static final String WEIGHTED = "(a red circle:1.5) on a [blue] background";

    @Test
    void originalEmphasisIsA1111sFormula() {
        try (ModelCache.Lease lease = lease()) {
            ClipTokenizer tokenizer = lease.model().tokenizer();
            TextEncoder encoder = lease.model().textEncoder();
            ChunkedPrompt chunked = new PromptChunker(tokenizer).chunk(WEIGHTED, Emphasis.ORIGINAL);
            assertTrue(chunked.weighted());
            float[] z = encoder.encode(new int[][] {chunked.chunks().get(0).ids()}).floats();
            double[] w = chunked.chunks().get(0).weights();
            int dim = z.length / 77;
            double before = 0;
            double after = 0;
            for (int i = 0; i < z.length; i++) {
                before += z[i];
                after += z[i] * w[i / dim];
            }
            float[] expected = new float[z.length];
            for (int i = 0; i < z.length; i++) {
                expected[i] = (float) (z[i] * w[i / dim] * (before / after));
            }
            float[] actual = encode(lease, request(WEIGHTED, null, 1.0, Emphasis.ORIGINAL), false);
            assertClose(expected, actual, 1e-5);
            float[] plain = encode(lease, request(WEIGHTED, null, 1.0, Emphasis.IGNORE), false);
            assertArrayEquals(z, plain);
        }
    }

    @Test
    void noNormAndComfyFollowTheirFormulas() {
        try (ModelCache.Lease lease = lease()) {
            ClipTokenizer tokenizer = lease.model().tokenizer();
            TextEncoder encoder = lease.model().textEncoder();
            ChunkedPrompt chunked = new PromptChunker(tokenizer).chunk(WEIGHTED, Emphasis.ORIGINAL);
            float[] z = encoder.encode(new int[][] {chunked.chunks().get(0).ids()}).floats();
            float[] empty = encoder.encode(new int[][] {tokenizer.encode("").ids()}).floats();
            double[] w = chunked.chunks().get(0).weights();
            int dim = z.length / 77;
            float[] noNorm = new float[z.length];
            float[] comfy = new float[z.length];
            for (int i = 0; i < z.length; i++) {
                noNorm[i] = (float) (z[i] * w[i / dim]);
                comfy[i] = (float) (empty[i] + (z[i] - (double) empty[i]) * w[i / dim]);
            }
            assertClose(noNorm, encode(lease, request(WEIGHTED, null, 1.0, Emphasis.NO_NORM), false), 1e-6);
            assertClose(comfy, encode(lease, request(WEIGHTED, null, 1.0, Emphasis.COMFY), false), 1e-5);
        }
    }

    @Test
    void aPlainShortPromptEncodesAsBefore() {
        try (ModelCache.Lease lease = lease()) {
            String prompt = "a red circle on a blue background";
            ClipTokenizer tokenizer = lease.model().tokenizer();
            TextEncoder encoder = lease.model().textEncoder();
            float[] positive = encoder.encode(new int[][] {tokenizer.encode(prompt).ids()}).floats();
            float[] negative = encoder.encode(new int[][] {tokenizer.encode("blurry").ids()}).floats();
            float[] both = ClipPromptEncoder.concat(negative, positive);
            assertArrayEquals(both, encode(lease, request(prompt, "blurry", 7.5, Emphasis.ORIGINAL), true));
        }
    }

    @Test
    void longPromptsConcatenateChunksAndTheNegativeIsPaddedWithEmptyChunks() {
        try (ModelCache.Lease lease = lease()) {
            ClipTokenizer tokenizer = lease.model().tokenizer();
            TextEncoder encoder = lease.model().textEncoder();
            String prompt = "a red circle on a blue background, " .repeat(14) + "(yellow star:1.2)";
            List<int[]> ids = new ArrayList<>();
            new PromptChunker(tokenizer).chunk(prompt, Emphasis.ORIGINAL).chunks().forEach(c -> ids.add(c.ids()));
            assertTrue(ids.size() >= 2, "chunks: " + ids.size());
            float[] actual = encode(lease, request(prompt, "blurry", 7.5, Emphasis.IGNORE), true);
            int rowSize = encoder.encode(new int[][] {ids.get(0)}).floats().length;
            assertEquals(2 * ids.size() * rowSize, actual.length);
            // negative half: "blurry", then empty chunks (bos, eos, padding)
            float[] negative = encoder.encode(new int[][] {tokenizer.encode("blurry").ids()}).floats();
            float[] empty = encoder.encode(new int[][] {tokenizer.encode("").ids()}).floats();
            assertArrayEquals(negative, Arrays.copyOfRange(actual, 0, rowSize));
            for (int k = 1; k < ids.size(); k++) {
                assertArrayEquals(empty, Arrays.copyOfRange(actual, k * rowSize, (k + 1) * rowSize), "chunk " + k);
            }
            int half = ids.size() * rowSize;
            for (int k = 0; k < ids.size(); k++) {
                float[] z = encoder.encode(new int[][] {ids.get(k)}).floats();
                assertArrayEquals(z, Arrays.copyOfRange(actual, half + k * rowSize, half + (k + 1) * rowSize),
                        "chunk " + k);
            }
        }
    }

    @Test
    void aFixedLengthUnetGetsTheFirstChunkAndAWarning() {
        try (ModelCache.Lease lease = lease()) {
            String prompt = "a red circle on a blue background, ".repeat(14);
            List<String> warnings = new ArrayList<>();
            Tensor hidden = new ClipPromptEncoder(lease.model().tokenizer(), lease.model().textEncoder(), 77,
                    warnings::add).encode(request(prompt, null, 1.0, Emphasis.ORIGINAL), false).hiddenStates();
            assertEquals(77, hidden.dim(1));
            assertEquals(1, warnings.size());
            assertTrue(warnings.get(0).contains("fixed text length of 77"), warnings.get(0));
        }
    }

    @Test
    void theFixtureUnetTakesLongPromptsEndToEnd() {
        try (ModelCache.Lease lease = lease()) {
            assertEquals(-1, lease.model().unet().fixedSequenceLength(), "the fixture exports a dynamic sequence");
            String prompt = "(a red circle:1.3) on a blue background, ".repeat(12) + "BREAK a yellow star";
            List<String> warnings = new ArrayList<>();
            GeneratedImages images = new StableDiffusionPipeline(lease.model()).optWarnings(warnings::add)
                    .textToImage(new GenerationRequest(List.of(prompt), "blurry", 3, 3, 7.5, "euler", 64, 64, 1,
                            0.75, Emphasis.ORIGINAL), StepListener.NONE, ProgressListener.NONE,
                            CancellationToken.NONE);
            assertEquals(List.of(), warnings);
            assertEquals("Original", images.parameters().get("emphasis"));
            for (float v : images.images().get(0)) {
                assertTrue(v >= 0 && v <= 1);
            }
        }
    }

    private static float[] encode(ModelCache.Lease lease, GenerationRequest request, boolean guided) {
        return new ClipPromptEncoder(lease.model().tokenizer(), lease.model().textEncoder())
                .encode(request, guided).hiddenStates().floats();
    }

    private static GenerationRequest request(String prompt, String negative, double guidance, Emphasis emphasis) {
        return new GenerationRequest(List.of(prompt), negative, 1, 2, guidance, "euler", 64, 64, 1, 0.75, emphasis);
    }

    private static ModelCache.Lease lease() {
        return ModelCache.shared().lease(Fixtures.file("tiny-sd-onnx"), SessionSettings.DEFAULT);
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            assertEquals(expected[i], actual[i], tolerance * scale, "element " + i);
        }
    }
}
