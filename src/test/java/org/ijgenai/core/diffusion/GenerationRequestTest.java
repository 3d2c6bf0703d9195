package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.ijgenai.core.text.Emphasis;
import org.junit.jupiter.api.Test;

class GenerationRequestTest {

    private static GenerationRequest request(List<String> prompts, long seed, int steps, double guidance, int width,
            int height, int batch, double strength) {
        return new GenerationRequest(prompts, null, seed, steps, guidance, null, width, height, batch, strength);
    }

    @Test
    void rejectsBadParametersNamingThem() {
        List<String> p = List.of("a cat");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> request(List.of(), 1, 20, 7.5, 0, 0, 1, .75))
                .getMessage().contains("no prompt"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> request(java.util.Arrays.asList("a cat", null),
                1, 20, 7.5, 0, 0, 1, .75)).getMessage().contains("prompt is missing"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> request(p, 1, 0, 7.5, 0, 0, 1, .75))
                .getMessage().contains("steps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> request(p, 1, 20, 7.5, 500, 512, 1, .75))
                .getMessage().contains("multiples of 8"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> request(p, 1, 20, 7.5, 0, 0, 1, 0))
                .getMessage().contains("strength"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> request(p, 1, 20, 7.5, 0, 0, 1, 1.5))
                .getMessage().contains("strength"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> request(p, 1L << 32, 20, 7.5, 0, 0, 1, .5))
                .getMessage().contains("seed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> request(p, 1, 20, Double.NaN, 0, 0, 1, .5))
                .getMessage().contains("guidance"));
    }

    @Test
    void emptyAndBlankPromptsAreTextLikeAnyOther() {
        // diffusers encodes "" (start and end tokens, padding); a fill with no prompt is common ("remove this").
        assertEquals(List.of("", "  "), request(List.of("", "  "), 1, 20, 7.5, 0, 0, 1, .75).prompts());
        assertEquals("", GenerationRequest.of("").describe(false).get("prompt"));
    }

    @Test
    void randomSeedIsDrawnOnceAndRecorded() {
        GenerationRequest r = GenerationRequest.of("a cat");
        assertEquals(-1, r.seed());
        GenerationRequest resolved = r.withResolvedSeed();
        assertTrue(resolved.seed() >= 0 && resolved.seed() <= GenerationRequest.MAX_SEED);
        assertEquals(resolved, resolved.withResolvedSeed());
        assertEquals(Long.toString(resolved.seed()), resolved.describe(false).get("seed"));
    }

    @Test
    void guidanceAtOrBelowOneTurnsClassifierFreeGuidanceOff() {
        assertTrue(request(List.of("x"), 1, 4, 1.01, 0, 0, 1, .5).usesGuidance());
        assertEquals(false, request(List.of("x"), 1, 4, 1.0, 0, 0, 1, .5).usesGuidance());
    }

    @Test
    void guidanceEmbeddingMatchesDiffusersLcm() {
        // torch: LatentConsistencyModelPipeline.get_guidance_scale_embedding(tensor([7.5, 7.5]), 11)[0]
        double[] expected = {-0.8512359261512756, 0.7451136708259583, -0.38778164982795715, 0.9379998445510864,
            0.6816387176513672, -0.5247832536697388, -0.666937530040741, 0.9217512607574463, 0.34663575887680054,
            0.731688916683197, 0.0};
        float[] actual = StableDiffusionPipeline.guidanceEmbedding(8.5, 2, 11);
        assertEquals(22, actual.length);
        for (int i = 0; i < 11; i++) {
            assertEquals(expected[i], actual[i], 2e-3, "index " + i);
            assertEquals(actual[i], actual[11 + i]);
        }
    }

    @Test
    void eachCopyChangesItsOwnFieldsAndKeepsEveryOther() {
        GenerationRequest r = new GenerationRequest(List.of("a cat", "a dog"), "blurry", 3, 12, 5.5, "ddim", 64, 72,
                2, 0.6, Emphasis.COMFY, "cat 2", "blurry 2", "trailing");
        assertEquals(new GenerationRequest(List.of("a cat", "a dog"), "blurry", 9, 12, 5.5, "ddim", 64, 72, 2, 0.6,
                Emphasis.COMFY, "cat 2", "blurry 2", "trailing"), r.withSeed(9));
        assertEquals(new GenerationRequest(List.of("a fox"), "blurry", 3, 12, 5.5, "ddim", 64, 72, 2, 0.6,
                Emphasis.COMFY, "cat 2", "blurry 2", "trailing"), r.withPrompts(List.of("a fox")));
        assertEquals(new GenerationRequest(List.of("a cat", "a dog"), "blurry", 3, 30, 5.5, "ddim", 64, 72, 2, 0.6,
                Emphasis.COMFY, "cat 2", "blurry 2", "trailing"), r.withSteps(30));
        assertEquals(new GenerationRequest(List.of("a cat", "a dog"), "blurry", 3, 12, 2.0, "ddim", 64, 72, 2, 0.6,
                Emphasis.COMFY, "cat 2", "blurry 2", "trailing"), r.withGuidance(2.0));
        assertEquals(new GenerationRequest(List.of("a cat", "a dog"), "blurry", 3, 12, 5.5, "ddim", 64, 72, 2, 0.9,
                Emphasis.COMFY, "cat 2", "blurry 2", "trailing"), r.withStrength(0.9));
        assertEquals(new GenerationRequest(List.of("a cat", "a dog"), "blurry", 3, 12, 5.5, "ddim", 128, 96, 2, 0.6,
                Emphasis.COMFY, "cat 2", "blurry 2", "trailing"), r.withSize(128, 96));
        assertEquals(new GenerationRequest(List.of("a cat", "a dog"), "blurry", 3, 12, 5.5, "euler", 64, 72, 2, 0.6,
                Emphasis.COMFY, "cat 2", "blurry 2", "trailing"), r.withScheduler("euler"));
        assertEquals(new GenerationRequest(List.of("a cat", "a dog"), "blurry", 3, 12, 5.5, "ddim", 64, 72, 2, 0.6,
                Emphasis.NO_NORM, "cat 2", "blurry 2", "trailing"), r.withEmphasis(Emphasis.NO_NORM));
        assertEquals(new GenerationRequest(List.of("a cat", "a dog"), "blurry", 3, 12, 5.5, "ddim", 64, 72, 2, 0.6,
                Emphasis.COMFY, null, "noisy", "trailing"), r.withSecondPrompts(null, "noisy"));
        assertEquals(new GenerationRequest(List.of("a cat", "a dog"), "blurry", 3, 12, 5.5, "ddim", 64, 72, 2, 0.6,
                Emphasis.COMFY, "cat 2", "blurry 2", null), r.withTimestepSpacing(null));
        // A copy is validated as any request is.
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.withSteps(0)).getMessage().contains("steps"));
    }

    @Test
    void guidanceCombinesUnconditionalAndTextPredictions() {
        float[] out = StableDiffusionPipeline.guide(new float[] {1f, 2f, 3f, 6f}, 7.5f);
        assertArrayEquals(new float[] {1f + 7.5f * 2f, 2f + 7.5f * 4f}, out);
    }
}
