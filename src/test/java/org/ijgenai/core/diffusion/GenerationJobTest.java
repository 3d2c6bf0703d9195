package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one orchestration every front end calls: same images as the pipeline, the plan's UNet batch, recording. */
class GenerationJobTest {

    private static GenerationRequest request(double guidance, int batch) {
        return new GenerationRequest(List.of("a red circle"), "blurry", 5, 4, guidance, "ddim", 64, 64, batch,
                GenerationRequest.DEFAULT_STRENGTH);
    }

    @Test
    void jobMakesThePipelinesImagesAndRecordsTheModelPath() {
        Path model = Fixtures.file("tiny-sd-onnx");
        GenerationJob.Result job = new GenerationJob().setModel(model.toString()).setRequest(request(7.5, 2))
                .optStepRecording(GenerationJob.StepRecording.DECODED).run();
        try (ModelCache.Lease lease = ModelCache.shared().lease(model, SessionSettings.DEFAULT)) {
            GeneratedImages direct = new StableDiffusionPipeline(lease.model()).textToImage(request(7.5, 2),
                    StepListener.NONE, ProgressListener.NONE, CancellationToken.NONE);
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(direct.images().get(i), job.images().images().get(i));
            }
        }
        assertEquals(model.toAbsolutePath().toString(), job.parameters().get("model_path"));
        assertNotNull(job.steps());
        assertEquals(4, job.steps().labels().size());
    }

    @Test
    void noRecorderUnlessAsked() {
        GenerationJob.Result job = new GenerationJob().setModel(Fixtures.file("tiny-sd-onnx").toString())
                .setRequest(request(1.0, 1)).run();
        assertEquals(null, job.steps());
    }

    @Test
    void guidanceDoublesTheUnetBatchExceptForLcmUnets(@TempDir Path dir) throws IOException, URISyntaxException {
        Path sd = Fixtures.file("tiny-sd-onnx");
        try (ModelCache.Lease lease = ModelCache.shared().lease(sd, SessionSettings.DEFAULT)) {
            DenoisingPlan plan = new StableDiffusionPipeline(lease.model()).plan(request(7.5, 3),
                    NoiseLatents.INSTANCE);
            assertTrue(plan.guided());
            assertEquals(6, plan.unetBatch());
            DenoisingPlan unguided = new StableDiffusionPipeline(lease.model()).plan(request(1.0, 3),
                    NoiseLatents.INSTANCE);
            assertEquals(3, unguided.unetBatch());
        }
        // The same folder with an LCM-distilled UNet (it takes timestep_cond): guidance goes in as an embedding.
        Path lcm = dir.resolve("lcm");
        for (String part : new String[] {"text_encoder", "vae_decoder", "vae_encoder", "tokenizer", "scheduler"}) {
            Files.createDirectories(lcm);
            Files.createSymbolicLink(lcm.resolve(part), sd.resolve(part).toAbsolutePath());
        }
        Files.createDirectories(lcm.resolve("unet"));
        Files.copy(Path.of(GenerationJobTest.class.getResource("network/unet_lcm_timestep_cond.onnx").toURI()),
                lcm.resolve("unet/model.onnx"));
        try (StableDiffusionModel model = StableDiffusionModel.open(lcm, SessionSettings.DEFAULT)) {
            DenoisingPlan plan = new StableDiffusionPipeline(model).plan(request(7.5, 3), NoiseLatents.INSTANCE);
            assertFalse(plan.guided());
            assertEquals(3, plan.unetBatch());
        }
    }

    @Test
    void aFirstModelHashShowsItsProgressBeforeTheFirstStepAndACachedOneNothing(@TempDir Path dir)
            throws IOException {
        // A folder of its own, so that its UNet's path is in no hash cache yet.
        Path sd = Fixtures.file("tiny-sd-onnx");
        Path fresh = dir.resolve("fresh");
        Files.createDirectories(fresh.resolve("unet"));
        for (String part : new String[] {"text_encoder", "vae_decoder", "vae_encoder", "tokenizer", "scheduler",
                "model_index.json"}) {
            Files.createSymbolicLink(fresh.resolve(part), sd.resolve(part).toAbsolutePath());
        }
        Files.copy(sd.resolve("unet/model.onnx"), fresh.resolve("unet/model.onnx"));
        ModelCache cache = new ModelCache(1L << 30);
        List<String> messages = new ArrayList<>();
        List<Integer> hashPercents = new ArrayList<>();
        GenerationJob job = new GenerationJob().setModel(fresh.toString()).setRequest(request(1.0, 1))
                .optCache(cache).optProgress((done, total, message) -> {
                    messages.add(message);
                    if (message.startsWith("hashing ")) {
                        hashPercents.add(done * 100 / total);
                    }
                });
        GenerationJob.Result first = job.run();

        assertTrue(messages.get(0).startsWith("hashing unet/model.onnx (0 B of "), messages.toString());
        assertEquals(100, hashPercents.get(hashPercents.size() - 1), hashPercents.toString());
        int encoding = messages.indexOf("encoding the prompt");
        assertEquals(hashPercents.size(), encoding, "every hash report comes before the first step: " + messages);
        assertEquals(new ModelHash(null).shortHash(fresh.resolve("unet/model.onnx")),
                first.parameters().get(ModelHash.KEY));

        messages.clear();
        job.run();
        assertFalse(messages.stream().anyMatch(m -> m.startsWith("hashing")), "cached: " + messages);
        cache.unloadAll();
    }

    @Test
    void aSizeTheMachineCannotHoldIsRefusedWithTheNumbers() {
        org.ijgenai.core.GenAiException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.ijgenai.core.GenAiException.class, () -> new GenerationJob().setModel("models/shapes-sd")
                        .setRequest(new GenerationRequest(List.of("a red circle"), null, 1, 1, 7.5, null, 4096, 4096,
                                1, 0.75))
                        .run());
        // Refused from the plan's estimate (MemoryEstimate), before ONNX Runtime tries to allocate it.
        assertTrue(e.getMessage().matches("4096×4096 with a UNet batch of 2 \\(1 image × 2 for guidance\\) needs"
                + " about 5122 GiB of working memory \\(its largest attention layer compares 262144×262144 latent"
                + " positions in 4 heads: 2048 GiB of scores\\), but this computer has [0-9.]+ GiB available;.*"),
                e.getMessage());
    }

    @Test
    void negativeSizesAreNotCalledMultiplesOfEight() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new GenerationRequest(List.of("x"), null, 1, 1, 7.5, null, 0, -64, 1, 0.75));
        assertTrue(e.getMessage().startsWith("width and height must be positive"), e.getMessage());
    }
}
