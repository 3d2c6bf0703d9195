package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.CancelledException;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Behaviour of the pipeline on the tiny fixture model beyond the reference images (which the CLI test pins). */
class StableDiffusionPipelineTest {

    private static GenerationRequest request(String scheduler, int width, int height, double strength) {
        return new GenerationRequest(List.of("a red circle on a blue background"), "blurry", 11, 6, 7.5, scheduler,
                width, height, 1, strength);
    }

    private static Path model() {
        return Fixtures.file("tiny-sd-onnx");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pndm", "ddim", "euler", "euler_a", "lms", "dpmpp_2m", "dpmpp_2m_karras", "lcm"})
    void everySchedulerRunsNonSquareTxt2imgAndImg2img(String scheduler) {
        try (ModelCache.Lease lease = ModelCache.shared().lease(model(), SessionSettings.DEFAULT)) {
            StableDiffusionPipeline pipeline = new StableDiffusionPipeline(lease.model());
            List<StepSnapshot> steps = new ArrayList<>();
            GeneratedImages a = pipeline.textToImage(request(scheduler, 96, 64, 0.75), steps::add,
                    ProgressListener.NONE, CancellationToken.NONE);
            assertEquals(96, a.width());
            assertEquals(64, a.height());
            assertEquals(3 * 96 * 64, a.images().get(0).length);
            assertEquals(steps.get(0).total(), steps.size());
            for (float v : a.images().get(0)) {
                assertTrue(v >= 0 && v <= 1);
            }
            // Same seed, same image: ancestral noise comes from the seeded generator too.
            GeneratedImages again = pipeline.textToImage(request(scheduler, 96, 64, 0.75), StepListener.NONE,
                    ProgressListener.NONE, CancellationToken.NONE);
            assertArrayEquals(a.images().get(0), again.images().get(0));

            InitImage init = InitImage.fromPackedRgb(a.rgb(0), 96, 64, "previous");
            List<StepSnapshot> img2imgSteps = new ArrayList<>();
            GeneratedImages b = pipeline.imageToImage(request(scheduler, 0, 0, 0.5), init, img2imgSteps::add,
                    ProgressListener.NONE, CancellationToken.NONE);
            assertEquals(64, b.width());
            assertEquals(64, b.height());
            assertTrue(img2imgSteps.size() < steps.size(), "img2img at strength 0.5 skips early steps");
        }
    }

    @Test
    void img2imgStartsWhereDiffusersStarts() {
        // strength 0.75, 10 steps, steps_offset 1: noise at timesteps[-8] = 701, first UNet call at index 3 = 601.
        try (ModelCache.Lease lease = ModelCache.shared().lease(model(), SessionSettings.DEFAULT)) {
            List<StepSnapshot> steps = new ArrayList<>();
            InitImage init = new InitImage(new byte[64 * 64 * 3], 64, 64, "black");
            new StableDiffusionPipeline(lease.model()).imageToImage(new GenerationRequest(List.of("a cat"), null, 7,
                    10, 7.5, "ddim", 0, 0, 1, 0.75), init, steps::add, ProgressListener.NONE,
                    CancellationToken.NONE);
            assertEquals(7, steps.size());
            assertEquals(601.0, steps.get(0).timestep());
            assertEquals("step 1/7 · t=601", steps.get(0).label());
        }
    }

    @Test
    void cancellingStopsWithinOneStep() {
        try (ModelCache.Lease lease = ModelCache.shared().lease(model(), SessionSettings.DEFAULT)) {
            CancellationToken token = new CancellationToken();
            List<StepSnapshot> steps = new ArrayList<>();
            assertThrows(CancelledException.class, () -> new StableDiffusionPipeline(lease.model()).textToImage(
                    request("ddim", 64, 64, 0.75), s -> {
                        steps.add(s);
                        if (s.index() == 2) {
                            token.cancel();
                        }
                    }, ProgressListener.NONE, token));
            assertEquals(2, steps.size());
        }
    }

    @Test
    void batchOfPromptsTimesImagesPerPromptMakesThatManyImages() {
        try (ModelCache.Lease lease = ModelCache.shared().lease(model(), SessionSettings.DEFAULT)) {
            GeneratedImages images = new StableDiffusionPipeline(lease.model()).textToImage(new GenerationRequest(
                    List.of("a red circle", "a blue square"), null, 5, 3, 7.5, "ddim", 64, 64, 2, 0.75),
                    StepListener.NONE, ProgressListener.NONE, CancellationToken.NONE);
            assertEquals(4, images.count());
        }
    }

    @Test
    void latentPreviewIsFittedToTheModelsVae() {
        try (ModelCache.Lease lease = ModelCache.shared().lease(model(), SessionSettings.DEFAULT)) {
            LatentPreview preview = lease.model().latentPreview();
            assertEquals(4, preview.channels());
            assertTrue(preview.rmsError() < 0.5, "fit error " + preview.rmsError());
            float[] rgb = preview.toRgb(new float[4 * 8 * 8], 8, 8);
            assertEquals(3 * 64, rgb.length);
        }
    }

    @Test
    void unsupportedSizesAreExplained() {
        try (ModelCache.Lease lease = ModelCache.shared().lease(model(), SessionSettings.DEFAULT)) {
            StableDiffusionPipeline pipeline = new StableDiffusionPipeline(lease.model());
            // 72 = 9 latent pixels: the fixture UNet halves the latents once, so ONNX Runtime rejects it.
            GenAiException e = assertThrows(GenAiException.class, () -> pipeline.textToImage(
                    request("ddim", 72, 64, 0.75), StepListener.NONE, ProgressListener.NONE,
                    CancellationToken.NONE));
            assertTrue(e.getMessage().contains("multiples of 64"), e.getMessage());
        }
    }
}
