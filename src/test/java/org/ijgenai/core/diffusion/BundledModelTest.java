package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ijgenai.core.model.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.junit.jupiter.api.Test;

/**
 * The bundled, trained {@code models/shapes-sd} runs end to end on a fresh clone (no shared fixtures): the prompt
 * decides what is drawn, and the model's config sets its size rules.
 */
class BundledModelTest {

    private static Path model() {
        Path dir = Path.of("models/shapes-sd");
        assumeTrue(Files.isDirectory(dir), "models/shapes-sd is not in this checkout");
        return dir;
    }

    /** The mean colour of a square region of an image, packed 0xRRGGBB pixels. */
    private static int[] mean(int[] rgb, int width, int x0, int y0, int size) {
        long r = 0;
        long g = 0;
        long b = 0;
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                int p = rgb[y * width + x];
                r += (p >> 16) & 0xFF;
                g += (p >> 8) & 0xFF;
                b += p & 0xFF;
            }
        }
        int n = size * size;
        return new int[] {(int) (r / n), (int) (g / n), (int) (b / n)};
    }

    @Test
    void aRedCircleOnABluePromptDrawsOne() {
        try (StableDiffusionModel sd = StableDiffusionModel.open(model(), SessionSettings.DEFAULT)) {
            assertEquals(64, sd.folder().nativeWidth());
            GeneratedImages result = new StableDiffusionPipeline(sd).textToImage(new GenerationRequest(
                    List.of("a red circle on a blue background"), null, 1, 8, 7.5, "ddim", 0, 0, 1, 0.75),
                    StepListener.NONE, ProgressListener.NONE, CancellationToken.NONE);
            int[] rgb = result.rgb(0);
            int[] centre = mean(rgb, 64, 28, 28, 8);
            int[] corner = mean(rgb, 64, 0, 0, 6);
            assertTrue(centre[0] > 150 && centre[2] < 100, "centre should be red: " + java.util.Arrays.toString(centre));
            assertTrue(corner[2] > 150 && corner[0] < 100, "corner should be blue: " + java.util.Arrays.toString(corner));
        }
    }

    @Test
    void sizesOutsideTheUnetsMultipleAreRefusedBeforeRunning() {
        try (StableDiffusionModel sd = StableDiffusionModel.open(model(), SessionSettings.DEFAULT)) {
            assertEquals(16, sd.folder().sizeMultiple());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                    new StableDiffusionPipeline(sd).textToImage(new GenerationRequest(List.of("a red circle"), null,
                            1, 4, 7.5, "ddim", 72, 64, 1, 0.75), StepListener.NONE, ProgressListener.NONE,
                            CancellationToken.NONE));
            assertTrue(e.getMessage().contains("multiples of 16"), e.getMessage());
        }
    }
}
