package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The model cache's budget, when set, limits the networks one model loads at once: on the tiny SDXL fixture (UNet
 * 9,159,223 bytes of files, text encoders 270,533 + 235,261), a 9 MiB budget holds the UNet but not the UNet with
 * the text encoders, so they are released after encoding and the image is the same; an 8 MiB budget cannot hold
 * the UNet, which is refused with both sizes before ONNX Runtime loads it.
 */
class ModelMemoryLimitTest {

    private static final Path SDXL = Fixtures.file("tiny-sdxl-onnx");

    private static GenerationRequest request() {
        return new GenerationRequest(List.of("a red circle"), "blurry", 11, 3, 5.0, "euler", 64, 64, 1, 0.75);
    }

    private static GenerationJob.Result run(ModelCache cache) {
        return new GenerationJob().setModel(SDXL.toString()).setRequest(request()).optCache(cache).optThreads(1)
                .run();
    }

    @Test
    void aBudgetForTheUnetButNotTheEncodersTooReleasesThemAfterEncodingWithTheSameImage() {
        ModelCache unlimited = new ModelCache(1L << 40);
        int[] expected = run(unlimited).images().rgb(0);
        ModelCache small = new ModelCache(9L << 20);
        int[] got = run(small).images().rgb(0);
        assertArrayEquals(expected, got);
        // The job's settings (one thread, CPU), so the cache hands back the model the run used.
        try (ModelCache.Lease lease = small.lease(SDXL, new SessionSettings(1, true, -1))) {
            StableDiffusionModel model = lease.model();
            assertTrue(model.unetLoaded(), "the UNet stays loaded for the next run");
            assertFalse(model.textEncodersLoaded(), "the text encoders made way for the UNet");
            assertTrue(model.loadedBytes() <= 9L << 20, "loaded " + model.loadedBytes());
        }
        try (ModelCache.Lease lease = unlimited.lease(SDXL, new SessionSettings(1, true, -1))) {
            assertTrue(lease.model().textEncodersLoaded(), "with room, the text encoders stay for the next prompt");
        }
    }

    @Test
    void aUnetLargerThanTheBudgetIsRefusedWithBothSizes() {
        GenAiException e = assertThrows(GenAiException.class, () -> run(new ModelCache(8L << 20)));
        String message = e.getMessage();
        assertTrue(message.contains(SDXL.resolve("unet").resolve("model.onnx").toString())
                && message.contains("needs about 8.7 MiB") && message.contains("memory budget of 8.0 MiB"), message);
    }
}
