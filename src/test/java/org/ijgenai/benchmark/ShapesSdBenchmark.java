package org.ijgenai.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.ijgenai.core.diffusion.GeneratedImages;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.StableDiffusionModel;
import org.ijgenai.core.diffusion.StableDiffusionPipeline;
import org.ijgenai.core.diffusion.StepListener;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prints how long the bundled shapes-sd takes for a 64×64, 20-step txt2img with guidance and its own scheduler
 * (the target is ≤ 2 s on the 2-core build machine), and how long loading the model takes.
 */
@Tag("benchmark")
class ShapesSdBenchmark {

    @Test
    void txt2img64x64TwentySteps() {
        Path dir = Path.of("models/shapes-sd");
        assumeTrue(Files.isDirectory(dir), "models/shapes-sd is not in this checkout");
        long t0 = System.nanoTime();
        try (StableDiffusionModel sd = StableDiffusionModel.open(dir, SessionSettings.DEFAULT)) {
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            StableDiffusionPipeline pipeline = new StableDiffusionPipeline(sd);
            int runs = 7;
            double[] seconds = new double[runs];
            for (int i = -1; i < runs; i++) {
                GenerationRequest request = new GenerationRequest(List.of("a red circle on a blue background"), null,
                        Math.max(i, 0), 20, 7.5, null, 0, 0, 1, 0.75);
                long start = System.nanoTime();
                GeneratedImages result = pipeline.textToImage(request, StepListener.NONE, ProgressListener.NONE,
                        CancellationToken.NONE);
                if (i >= 0) {
                    seconds[i] = (System.nanoTime() - start) / 1e9;
                }
                assertEquals(64 * 64, result.rgb(0).length);
            }
            Arrays.sort(seconds);
            System.out.printf(Locale.ROOT, "shapes-sd txt2img 64x64, 20 steps, guidance 7.5, %s: median %.3f s, "
                    + "min %.3f s, max %.3f s over %d runs (first run discarded); model load %.2f s; %d cores%n",
                    sd.folder().schedulerClass(), seconds[runs / 2], seconds[0], seconds[runs - 1], runs,
                    loadSeconds, Runtime.getRuntime().availableProcessors());
        }
    }
}
