package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.onnx.SessionSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory a generation needs is estimated from its plan before any network runs: the largest self-attention's
 * scores set it, checked against hand-computed sizes and against peaks measured on the bundled shapes-sd; a size
 * that cannot fit is refused with the numbers, one that fits is not.
 */
class MemoryEstimateTest {

    private static final Path SHAPES = Path.of("models/shapes-sd");
    private static final long MIB = 1L << 20;

    private static DenoisingPlan plan(int size, int batch, double guidance) {
        try (ModelCache.Lease lease = ModelCache.shared().lease(SHAPES, SessionSettings.DEFAULT)) {
            return new StableDiffusionPipeline(lease.model()).plan(new GenerationRequest(List.of("a red circle"),
                    null, 1, 2, guidance, null, size, size, batch, GenerationRequest.DEFAULT_STRENGTH),
                    NoiseLatents.INSTANCE);
        }
    }

    private static MemoryEstimate estimate(int size, int batch, double guidance) {
        return MemoryEstimate.of(ModelFolder.open(SHAPES), plan(size, batch, guidance), false);
    }

    @Test
    void shapesSdAt512IsItsLevelZeroSelfAttention() {
        MemoryEstimate e = estimate(512, 1, 7.5);
        // 64×64 latents = 4096 positions, 4 heads, a guided batch of 2, float32.
        long scores = 2L * 4 * 4096 * 4096 * 4;
        assertEquals(scores, e.largestAttention());
        assertEquals(4096, e.attentionTokens());
        assertEquals(4, e.heads());
        long activations = 16L * 2 * 64 * 4096 * 4;
        assertEquals((long) (2.5 * scores) + activations, e.nativeBytes());
        // Without guidance the UNet batch, and so the scores, halve.
        assertEquals(scores / 2, estimate(512, 1, 1.0).largestAttention());
        assertEquals(scores * 3, estimate(512, 3, 7.5).largestAttention());
    }

    /**
     * Peak resident memory of {@code txt2img --steps 1} on shapes-sd (guided, one image), measured with
     * {@code /usr/bin/time -f %M} on the 2-core CI machine, minus the 140 MiB the same run takes at 64×64.
     */
    @Test
    void estimateIsWithinTenPercentOfTheMeasuredPeaks() {
        int[] sizes = {512, 640, 768};
        long[] measuredMib = {1479 - 140, 3248 - 140, 6482 - 140};
        for (int i = 0; i < sizes.length; i++) {
            double ratio = estimate(sizes[i], 1, 7.5).nativeBytes() / (double) (measuredMib[i] * MIB);
            assertTrue(ratio > 0.9 && ratio < 1.1, sizes[i] + ": estimate / measured = " + ratio);
        }
    }

    @Test
    void aSizeThatCannotFitIsRefusedWithTheNumbersAndOneThatFitsIsNot() {
        DenoisingPlan plan = plan(8192, 1, 7.5);
        MemoryEstimate e = MemoryEstimate.of(ModelFolder.open(SHAPES), plan, false);
        GenAiException refused = assertThrows(GenAiException.class,
                () -> e.check(plan, false, 16L << 30, 1L << 30));
        assertTrue(refused.getMessage().startsWith("8192×8192 with a UNet batch of 2 (1 image × 2 for guidance)"
                + " needs about 81928 GiB of working memory (its largest attention layer compares 1048576×1048576"
                + " latent positions in 4 heads: 32768 GiB of scores), but this computer has 16.0 GiB available;"
                + " try a smaller width and height, e.g. the model's own 64×64"), refused.getMessage());
        DenoisingPlan small = plan(512, 1, 7.5);
        MemoryEstimate fits = MemoryEstimate.of(ModelFolder.open(SHAPES), small, false);
        fits.check(small, false, fits.nativeBytes(), fits.heapBytes());
        assertThrows(GenAiException.class, () -> fits.check(small, false, fits.nativeBytes() - 1, 1L << 30));
        // A GPU run's networks live in the GPU's memory; unknown host memory checks nothing native.
        fits.check(small, true, 1, 1L << 30);
        fits.check(small, false, -1, 1L << 30);
    }

    @Test
    void theHeapHoldsTheDecodedImagesAndTheRecordedSteps() {
        DenoisingPlan plan = plan(512, 2, 7.5);
        MemoryEstimate plain = MemoryEstimate.of(ModelFolder.open(SHAPES), plan, false);
        MemoryEstimate recorded = MemoryEstimate.of(ModelFolder.open(SHAPES), plan, true);
        // Two evaluations × latents and x̂0 × 2 images × 512² packed RGB.
        assertEquals(2L * 2 * 2 * 512 * 512 * 4, recorded.heapBytes() - plain.heapBytes());
        GenAiException refused = assertThrows(GenAiException.class,
                () -> recorded.check(plan, false, 1L << 40, recorded.heapBytes() - 1));
        assertTrue(refused.getMessage().contains("of Java heap") && refused.getMessage().contains("-Xmx"),
                refused.getMessage());
    }

    @Test
    void unetLevelsComeFromTheDiffusersConfig(@TempDir Path dir) throws IOException {
        Path sd15 = dir.resolve("sd15.json");
        Files.writeString(sd15, "{\"_class_name\": \"UNet2DConditionModel\", \"block_out_channels\": [320, 640, 1280,"
                + " 1280], \"down_block_types\": [\"CrossAttnDownBlock2D\", \"CrossAttnDownBlock2D\","
                + " \"CrossAttnDownBlock2D\", \"DownBlock2D\"], \"attention_head_dim\": 8}");
        assertEquals(List.of(new MemoryEstimate.Level(320, 8), new MemoryEstimate.Level(640, 8),
                new MemoryEstimate.Level(1280, 8), new MemoryEstimate.Level(1280, 8)),
                MemoryEstimate.unetLevels(sd15), "the last level has the mid block's attention");
        Path sdxl = dir.resolve("sdxl.json");
        Files.writeString(sdxl, "{\"_class_name\": \"UNet2DConditionModel\", \"block_out_channels\": [320, 640, 1280],"
                + " \"down_block_types\": [\"DownBlock2D\", \"CrossAttnDownBlock2D\", \"CrossAttnDownBlock2D\"],"
                + " \"attention_head_dim\": [5, 10, 20], \"num_attention_heads\": null}");
        assertEquals(List.of(new MemoryEstimate.Level(320, 0), new MemoryEstimate.Level(640, 10),
                new MemoryEstimate.Level(1280, 20)), MemoryEstimate.unetLevels(sdxl));
        assertEquals(List.of(new MemoryEstimate.Level(64, 4), new MemoryEstimate.Level(128, 4)),
                MemoryEstimate.unetLevels(SHAPES.resolve("unet/config.json")));
        assertEquals(List.of(new MemoryEstimate.Level(320, 1)), MemoryEstimate.unetLevels(dir.resolve("none.json")));
    }
}
