package org.ijgenai.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.ijgenai.core.diffusion.network.Unet;
import org.ijgenai.core.diffusion.network.UnetConditioning;
import org.ijgenai.core.onnx.AttentionGraph;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prints the peak resident memory of one guided UNet evaluation at 512×512 (latents 2×4×64×64) on a random-weight
 * UNet of SD 1.5's size, plain and with the cross-attention captured (heads averaged in the graph, or every head),
 * each in a fresh JVM. Make the UNet with tools/attention/export_sd15_random_unet.py and pass its folder as
 * {@code -Dsd15.unet=/tmp/sd15-random/unet}.
 */
@Tag("benchmark")
class AttentionMemoryBenchmark {

    @Test
    void peakMemoryOfCaptureAt512() throws Exception {
        String folder = System.getProperty("sd15.unet", "/tmp/sd15-random/unet");
        Path onnx = Path.of(folder, "model.onnx");
        assumeTrue(Files.isRegularFile(onnx), onnx + " is missing: run tools/attention/export_sd15_random_unet.py");
        for (String mode : new String[] {"plain", "HEAD_MEAN", "EACH_HEAD"}) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx6g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                    Probe.class.getName(), onnx.toString(), mode));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor(), output);
            System.out.print(output);
        }
    }

    /** One evaluation in this JVM; prints the peak resident set (VmHWM) and what the capture returned. */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            Path onnx = Path.of(args[0]);
            String mode = args[1];
            long[] returned = new long[1];
            SessionSettings settings = new SessionSettings(0, true, -1);
            long start = System.nanoTime();
            try (Unet unet = mode.equals("plain") ? Unet.load(onnx, settings)
                    : Unet.loadCapturing(onnx, settings, AttentionGraph.Reduction.valueOf(mode),
                            (t, layers) -> layers.values().forEach(v -> returned[0] += 4L * v.size()))) {
                Random random = new Random(0);
                float[] latents = new float[2 * 4 * 64 * 64];
                float[] text = new float[2 * 77 * 768];
                for (int i = 0; i < latents.length; i++) {
                    latents[i] = (float) random.nextGaussian();
                }
                for (int i = 0; i < text.length; i++) {
                    text[i] = (float) random.nextGaussian();
                }
                unet.predict(latents, 2, 64, 64, 500, new UnetConditioning(Tensor.ofFloats(text, 2, 77, 768), null,
                        Map.of()));
            }
            String status = Files.readString(Path.of("/proc/self/status"));
            String peak = status.lines().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM ?");
            System.out.printf(Locale.ROOT, "%-9s peak RSS %s, attention returned per evaluation %.1f MB, %.0f s%n",
                    mode, peak.replaceAll("VmHWM:\\s*", ""), returned[0] / 1e6, (System.nanoTime() - start) / 1e9);
        }
    }
}
