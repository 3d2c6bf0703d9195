package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ijgenai.core.onnx.SessionSettings;
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
    void latentPreviewFittedToTheVaeTracksTheDecodedImage() {
        try (StableDiffusionModel sd = StableDiffusionModel.open(model(), SessionSettings.DEFAULT)) {
            StepSnapshot[] last = new StepSnapshot[1];
            GeneratedImages result = new StableDiffusionPipeline(sd).textToImage(new GenerationRequest(
                    List.of("a green square on a yellow background"), null, 2, 8, 7.5, "euler", 0, 0, 1, 0.75),
                    s -> last[0] = s, ProgressListener.NONE, CancellationToken.NONE);
            float[] image = result.images().get(0);
            double fitted = previewError(sd.latentPreview(), last[0].latentsOf(0), image);
            // The factors commonly hard-coded for SD 1.5's VAE (rows R, G, B; output in [-1, 1] mapped to [0, 1]).
            double[][] sd15 = {{0.298 / 2, 0.187 / 2, -0.158 / 2, -0.184 / 2, 0.5},
                {0.207 / 2, 0.286 / 2, 0.189 / 2, -0.271 / 2, 0.5}, {0.208 / 2, 0.173 / 2, 0.264 / 2, -0.473 / 2, 0.5}};
            double hardCoded = previewError(LatentPreview.of(sd15), last[0].latentsOf(0), image);
            assertTrue(fitted < 0.15, "mean preview error " + fitted);
            assertTrue(fitted < hardCoded, "fitted " + fitted + " vs SD 1.5's factors " + hardCoded);
        }
    }

    /** The mean absolute difference between a preview and the decoded image averaged over 8×8 blocks. */
    private static double previewError(LatentPreview preview, float[] latents, float[] image) {
        float[] rgb = preview.toRgb(latents, 8, 8);
        double error = 0;
        for (int c = 0; c < 3; c++) {
            for (int by = 0; by < 8; by++) {
                for (int bx = 0; bx < 8; bx++) {
                    double sum = 0;
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            sum += image[(c * 64 + by * 8 + y) * 64 + bx * 8 + x];
                        }
                    }
                    error += Math.abs(sum / 64 - rgb[(c * 8 + by) * 8 + bx]);
                }
            }
        }
        return error / (3 * 64);
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
