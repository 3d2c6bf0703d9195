package org.ijgenai.benchmark;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.ijgenai.core.diffusion.network.Unet;
import org.ijgenai.core.diffusion.network.UnetConditioning;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.tensor.Tensor;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * One measurement in its own process, so that its peak RSS is its own: loads an SDXL-signature UNet either through
 * ij-genai's {@link Unet} wrapper (the pipeline's path, with the UNet's session settings) or as a raw ONNX Runtime
 * session with the given optimisation level and CPU arena, runs a few evaluations at a size, and prints one line:
 * {@code load_s=… step_s=… (median) peak_rss_mb=…}.
 *
 * <p>Arguments: UNET_FILE wrapper|raw ALL|EXTENDED|BASIC|NONE arena|noarena[-noprepack] SIZE STEPS THREADS.
 */
public final class SdxlUnetProbe {

    private static long[] afterSteps = {-1024, -1024};

    private SdxlUnetProbe() {}

    /** Runs one measurement; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        boolean wrapper = args[1].equals("wrapper");
        String level = args[2];
        boolean arena = args[3].startsWith("arena");
        // "…-noprepack": ONNX Runtime keeps its CPU kernels' repacked copies of the weights apart from the weights.
        boolean prepack = !args[3].endsWith("-noprepack");
        int size = Integer.parseInt(args[4]);
        int steps = Integer.parseInt(args[5]);
        int threads = Integer.parseInt(args[6]);
        int h = size / 8;
        int cross = Integer.parseInt(args.length > 7 ? args[7] : "2048");
        int pooled = Integer.parseInt(args.length > 8 ? args[8] : "1280");
        // Classifier-free guidance: a UNet batch of 2.
        int batch = 2;
        float[] sample = filled(batch * 4 * h * h, 0.1f);
        float[] hidden = filled(batch * 77 * cross, 0.01f);
        float[] text = filled(batch * pooled, 0.01f);
        float[] timeIds = new float[batch * 6];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(new float[] {size, size, 0, 0, size, size}, 0, timeIds, b * 6, 6);
        }
        double[] stepSeconds = new double[steps];
        long start = System.nanoTime();
        double load;
        if (wrapper) {
            try (Unet unet = Unet.load(file, new SessionSettings(threads, true, -1))) {
                load = (System.nanoTime() - start) / 1e9;
                UnetConditioning conditioning = new UnetConditioning(Tensor.ofFloats(hidden, batch, 77, cross), null,
                        Map.of(Unet.TEXT_EMBEDS, Tensor.ofFloats(text, batch, pooled),
                                Unet.TIME_IDS, Tensor.ofFloats(timeIds, batch, 6)));
                for (int i = 0; i < steps; i++) {
                    long t0 = System.nanoTime();
                    unet.predict(sample, batch, h, h, 999 - i, conditioning);
                    stepSeconds[i] = (System.nanoTime() - t0) / 1e9;
                }
                afterSteps = new long[] {statusKb("RssAnon:"), statusKb("RssFile:")};
            }
        } else {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = OrtSettingsProbe.options(level, arena, threads);
            if (!prepack) {
                options.addConfigEntry("session.disable_prepacking", "1");
            }
            try (OrtSession session = env.createSession(file.toString(), options)) {
                load = (System.nanoTime() - start) / 1e9;
                // Optimum exports a timestep [B]; some exports a scalar.
                boolean scalarTimestep = ((ai.onnxruntime.TensorInfo) session.getInputInfo().get("timestep")
                        .getInfo()).getShape().length == 0;
                for (int i = 0; i < steps; i++) {
                    Map<String, OnnxTensor> feeds = new HashMap<>();
                    feeds.put("sample", tensor(env, sample, batch, 4, h, h));
                    feeds.put("timestep", scalarTimestep ? tensor(env, new float[] {999 - i})
                            : tensor(env, new float[] {999 - i, 999 - i}, batch));
                    feeds.put("encoder_hidden_states", tensor(env, hidden, batch, 77, cross));
                    feeds.put("text_embeds", tensor(env, text, batch, pooled));
                    feeds.put("time_ids", tensor(env, timeIds, batch, 6));
                    long t0 = System.nanoTime();
                    try (OrtSession.Result result = session.run(feeds)) {
                        stepSeconds[i] = (System.nanoTime() - t0) / 1e9;
                    }
                    for (OnnxTensor t : feeds.values()) {
                        t.close();
                    }
                }
                afterSteps = new long[] {statusKb("RssAnon:"), statusKb("RssFile:")};
            }
        }
        double[] sorted = stepSeconds.clone();
        Arrays.sort(sorted);
        // The peak counts the weights file's pages that ONNX Runtime memory-maps (clean, file-backed: the kernel
        // can drop them under pressure) as well as the process's own memory, so both are printed as they were after
        // the last step.
        System.out.printf(Locale.ROOT, "load_s=%.2f step_s=%.3f peak_rss_mb=%d rss_anon_mb=%d rss_file_mb=%d%n", load,
                sorted[sorted.length / 2], peakRssKb() / 1024, afterSteps[0] / 1024, afterSteps[1] / 1024);
    }

    private static float[] filled(int n, float value) {
        float[] a = new float[n];
        Arrays.fill(a, value);
        return a;
    }

    private static OnnxTensor tensor(OrtEnvironment env, float[] data, long... shape) throws Exception {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
    }

    /** A field of /proc/self/status in kB, or -1 when the kernel has none. */
    static long statusKb(String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** VmHWM from /proc/self/status: the process's peak resident set. */
    static long peakRssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
