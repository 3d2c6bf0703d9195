package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;

import org.ijgenai.core.diffusion.network.TextEncoder;
import org.ijgenai.core.diffusion.network.Unet;
import org.ijgenai.core.diffusion.network.UnetConditioning;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.text.ClipTokenizer;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * A prompt walk's conditioning against the formula written out here on the text encoders' own outputs:
 * (1−t)·E(a) + t·E(b) for the conditional half, the negative half unchanged, the shorter prompt padded with the
 * empty prompt's chunk, and SDXL's pooled text_embeds interpolated with the hidden states.
 */
class PromptBlendTest {

    private static final String A = "a red circle on a blue background";
    private static final String B = "a yellow star on a green background";

    @Test
    void theConditionalHalfIsTheLinearInterpolationAndTheNegativeHalfStays() {
        try (ModelCache.Lease lease = ModelCache.shared().lease(Fixtures.file("tiny-sd-onnx"), SessionSettings.DEFAULT)) {
            ClipTokenizer tokenizer = lease.model().tokenizer();
            TextEncoder encoder = lease.model().textEncoder();
            float[] za = encoder.encode(new int[][] {tokenizer.encode(A).ids()}).floats();
            float[] zb = encoder.encode(new int[][] {tokenizer.encode(B).ids()}).floats();
            float[] zn = encoder.encode(new int[][] {tokenizer.encode("blurry").ids()}).floats();
            double t = 0.3;
            float[] actual = new PromptBlend(A, B, t).over(new ClipPromptEncoder(tokenizer, encoder))
                    .encode(request(A, "blurry"), true).hiddenStates().floats();
            assertEquals(2 * za.length, actual.length);
            assertArrayEquals(zn, Arrays.copyOfRange(actual, 0, za.length), "negative half");
            for (int i = 0; i < za.length; i++) {
                float expected = (float) (0.7 * za[i] + 0.3 * zb[i]);
                assertEquals(expected, actual[za.length + i], Math.ulp(expected), "element " + i);
            }
            assertFalse(Arrays.equals(za, Arrays.copyOfRange(actual, za.length, actual.length)), "moved off a");
        }
    }

    @Test
    void promptsOfDifferentLengthArePaddedWithTheEmptyChunk() {
        try (ModelCache.Lease lease = ModelCache.shared().lease(Fixtures.file("tiny-sd-onnx"), SessionSettings.DEFAULT)) {
            ClipTokenizer tokenizer = lease.model().tokenizer();
            TextEncoder encoder = lease.model().textEncoder();
            String longer = A + " BREAK " + B;
            float[] za = encoder.encode(new int[][] {tokenizer.encode(A).ids()}).floats();
            float[] empty = encoder.encode(new int[][] {tokenizer.encode("").ids()}).floats();
            ClipPromptEncoder plain = new ClipPromptEncoder(tokenizer, encoder);
            float[] zl = plain.encode(request(longer, null), false).hiddenStates().floats();
            assertEquals(2 * za.length, zl.length, "BREAK makes two chunks");
            double t = 0.25;
            UnetConditioning blended = new PromptBlend(A, longer, t).over(plain).encode(request(A, null), false);
            assertEquals(2L * 77, blended.hiddenStates().dim(1));
            float[] actual = blended.hiddenStates().floats();
            for (int i = 0; i < zl.length; i++) {
                float padded = i < za.length ? za[i] : empty[i - za.length];
                float expected = (float) (0.75 * padded + 0.25 * zl[i]);
                assertEquals(expected, actual[i], Math.ulp(expected), "element " + i);
            }
        }
    }

    @Test
    void sdxlInterpolatesThePooledEmbeddingsWithTheHiddenStates() {
        try (StableDiffusionModel model = StableDiffusionModel.open(Fixtures.file("tiny-sdxl-onnx"),
                SessionSettings.DEFAULT)) {
            SdxlPromptEncoder plain = new SdxlPromptEncoder(model);
            UnetConditioning a = plain.encode(request(A, "blurry"), true);
            UnetConditioning b = plain.encode(request(B, "blurry"), true);
            double t = 0.6;
            UnetConditioning mixed = new PromptBlend(A, B, t).over(plain).encode(request(A, "blurry"), true);
            for (String input : List.of(Unet.TEXT_EMBEDS, "hidden")) {
                float[] x = input.equals("hidden") ? a.hiddenStates().floats() : a.extraInputs().get(input).floats();
                float[] y = input.equals("hidden") ? b.hiddenStates().floats() : b.extraInputs().get(input).floats();
                float[] m = input.equals("hidden") ? mixed.hiddenStates().floats()
                        : mixed.extraInputs().get(input).floats();
                int half = x.length / 2;
                assertArrayEquals(Arrays.copyOfRange(x, 0, half), Arrays.copyOfRange(m, 0, half), input + " negative");
                for (int i = half; i < x.length; i++) {
                    float expected = (float) (0.4 * x[i] + 0.6 * y[i]);
                    assertEquals(expected, m[i], Math.ulp(expected), input + " element " + i);
                }
            }
            assertArrayEquals(a.extraInputs().get(Unet.TIME_IDS).floats(),
                    mixed.extraInputs().get(Unet.TIME_IDS).floats());
        }
    }

    private static GenerationRequest request(String prompt, String negative) {
        return new GenerationRequest(List.of(prompt), negative, 1, 2, 7.5, "euler", 64, 64, 1, 0.75);
    }
}
