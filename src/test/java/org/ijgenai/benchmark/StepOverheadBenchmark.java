package org.ijgenai.benchmark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.ijgenai.core.diffusion.GeneratedImages;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.StableDiffusionModel;
import org.ijgenai.core.diffusion.StableDiffusionPipeline;
import org.ijgenai.core.diffusion.StepListener;
import org.ijgenai.core.diffusion.StepTimings;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Splits a denoising step into time inside ONNX Runtime's UNet run and everything else the pipeline does
 * (scheduler, guidance, conversions at the network boundary, copies), on a UNet-shaped network heavy enough to
 * dominate (tools/export_benchmark_unet.py) at 512×512, with the shared fixture's text encoder, VAE and tokenizer. Target:
 * everything else ≤ 3 % of the step. Run with {@code mvn -Pbenchmarks -Dtest=StepOverheadBenchmark test}.
 */
@Tag("benchmark")
class StepOverheadBenchmark {

    @TempDir
    Path temp;

    private Path benchModel() throws Exception {
        Path fixture = Fixtures.file("tiny-sd-onnx");
        for (String part : new String[] {"text_encoder", "vae_decoder", "vae_encoder", "tokenizer", "scheduler"}) {
            Files.createSymbolicLink(temp.resolve(part), fixture.resolve(part).toAbsolutePath());
        }
        Files.copy(fixture.resolve("model_index.json"), temp.resolve("model_index.json"));
        Files.createDirectories(temp.resolve("unet"));
        Files.copy(Path.of(StepOverheadBenchmark.class.getResource("bench_unet.onnx").toURI()),
                temp.resolve("unet/model.onnx"));
        return temp;
    }

    @Test
    void networkDominatesEachStep() throws Exception {
        try (StableDiffusionModel model = StableDiffusionModel.open(benchModel(), SessionSettings.DEFAULT)) {
            StableDiffusionPipeline pipeline = new StableDiffusionPipeline(model);
            for (String scheduler : List.of("ddim", "euler_a", "dpmpp_2m_karras")) {
                // A full run first, so the JIT has compiled every path the measured run takes.
                GenerationRequest warmUp = new GenerationRequest(List.of("a red circle"), null, 1, 8, 7.5, scheduler,
                        512, 512, 1, 0.75);
                pipeline.textToImage(warmUp, StepListener.NONE, ProgressListener.NONE, CancellationToken.NONE);
                GenerationRequest request = new GenerationRequest(List.of("a red circle on a blue background"),
                        "blurry", 42, 8, 7.5, scheduler, 512, 512, 1, 0.75);
                GeneratedImages result = pipeline.textToImage(request, StepListener.NONE, ProgressListener.NONE,
                        CancellationToken.NONE);
                StepTimings t = result.timings();
                double perStep = t.loopSeconds() / t.evaluations() * 1000;
                double network = t.totalNetworkSeconds() / t.evaluations() * 1000;
                System.out.printf(Locale.ROOT, "BENCHMARK sd-step %-16s 512x512 CFG batch 2: %d steps, %.1f ms/step,"
                        + " network %.1f ms, everything else %.2f ms = %.2f %% overall, median step %.2f %%%n",
                        scheduler, t.evaluations(), perStep, network, perStep - network, 100 * t.overheadFraction(),
                        100 * t.medianOverheadFraction());
                assertTrue(t.medianOverheadFraction() <= 0.03, String.format(Locale.ROOT,
                        "%s: pipeline overhead %.2f %% of the median step exceeds 3 %%", scheduler,
                        100 * t.medianOverheadFraction()));
            }
        }
    }
}
