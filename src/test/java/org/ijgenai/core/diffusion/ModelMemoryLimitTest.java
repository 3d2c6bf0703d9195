package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.ijgenai.core.GenAiException;
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

    /** What was loaded during the last step of a run: text encoders, UNet, bytes of loaded weights. */
    private final Object[] atLastStep = new Object[3];

    private GenerationJob.Result run(ModelCache cache) {
        return new GenerationJob().setModel(SDXL.toString()).setRequest(request()).optCache(cache).optThreads(1)
                .optStepListener(model -> snapshot -> {
                    atLastStep[0] = model.textEncodersLoaded();
                    atLastStep[1] = model.unetLoaded();
                    atLastStep[2] = model.loadedBytes();
                }).run();
    }

    @Test
    void aBudgetForTheUnetButNotTheEncodersTooReleasesThemAfterEncodingWithTheSameImage() {
        int[] expected = run(new ModelCache(1L << 40)).images().rgb(0);
        assertEquals(true, atLastStep[0], "with room, the text encoders stay for the next prompt");
        int[] got = run(new ModelCache(9L << 20)).images().rgb(0);
        assertArrayEquals(expected, got);
        assertEquals(false, atLastStep[0], "the text encoders made way for the UNet");
        assertEquals(true, atLastStep[1]);
        assertTrue((Long) atLastStep[2] <= 9L << 20, "loaded " + atLastStep[2]);
    }

    @Test
    void aUnetLargerThanTheBudgetIsRefusedWithBothSizes() {
        GenAiException e = assertThrows(GenAiException.class, () -> run(new ModelCache(8L << 20)));
        String message = e.getMessage();
        assertTrue(message.contains(SDXL.resolve("unet").resolve("model.onnx").toString())
                && message.contains("needs about 8.7 MiB") && message.contains("memory budget of 8.0 MiB"), message);
    }
}
