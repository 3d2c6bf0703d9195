package org.ijgenai.benchmark;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/**
 * One ONNX Runtime measurement in its own process, so that its peak RSS is its own: creates a session for one
 * network with one graph optimisation level and CPU arena setting, optionally saving the optimised model or loading
 * a saved one, runs it a few times on constant inputs and prints one line:
 * {@code load_s=… step_s=… (median) peak_rss_mb=…}.
 *
 * <p>Arguments: FILE ALL|EXTENDED|BASIC|NONE arena|noarena -|save:PATH RUNS THREADS INPUT… where each INPUT is
 * {@code name:float|int32|int64:DIMS} with DIMS like {@code 2x4x64x64} (empty for a scalar). {@code save:PATH}
 * writes the optimised model (its weights in PATH.data) while loading; loading a saved model is FILE=PATH with NONE.
 */
public final class OrtSettingsProbe {

    private OrtSettingsProbe() {}

    /** Runs one measurement; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String level = args[1];
        boolean arena = args[2].equals("arena");
        String save = args[3];
        int runs = Integer.parseInt(args[4]);
        int threads = Integer.parseInt(args[5]);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double[] seconds = new double[runs];
        long start = System.nanoTime();
        double load;
        try (OrtSession.SessionOptions options = options(level, arena, threads)) {
            if (save.startsWith("save:")) {
                String saved = save.substring(5);
                options.setOptimizedModelFilePath(saved);
                options.addConfigEntry("session.optimized_model_external_initializers_file_name",
                        Path.of(saved).getFileName() + ".data");
                options.addConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
            }
            try (OrtSession session = env.createSession(file.toString(), options)) {
                load = (System.nanoTime() - start) / 1e9;
                for (int i = 0; i < runs; i++) {
                    Map<String, OnnxTensor> feeds = new HashMap<>();
                    for (int a = 6; a < args.length; a++) {
                        String[] spec = args[a].split(":", -1);
                        feeds.put(spec[0], tensor(env, spec[1], spec[2]));
                    }
                    long t0 = System.nanoTime();
                    try (OrtSession.Result result = session.run(feeds)) {
                        seconds[i] = (System.nanoTime() - t0) / 1e9;
                    }
                    for (OnnxTensor t : feeds.values()) {
                        t.close();
                    }
                }
            }
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "load_s=%.2f step_s=%.3f peak_rss_mb=%d%n", load,
                runs == 0 ? 0.0 : sorted[sorted.length / 2], SdxlUnetProbe.peakRssKb() / 1024);
    }

    /** Session options as ij-genai sets them (threads, no spinning), with the measured level and arena. */
    static OrtSession.SessionOptions options(String level, boolean arena, int threads) throws Exception {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(switch (level) {
            case "ALL" -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            case "EXTENDED" -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            case "BASIC" -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            default -> OrtSession.SessionOptions.OptLevel.NO_OPT;
        });
        options.setCPUArenaAllocator(arena);
        if (threads > 0) {
            options.setIntraOpNumThreads(threads);
        }
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    private static OnnxTensor tensor(OrtEnvironment env, String type, String dims) throws Exception {
        long[] shape = dims.isEmpty() ? new long[0] : Arrays.stream(dims.split("x")).mapToLong(Long::parseLong)
                .toArray();
        int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        switch (type) {
            case "int32": {
                // Token ids: a start token, a few words, then end/padding, as a tokenizer would give.
                int[] ids = new int[n];
                Arrays.fill(ids, 49407);
                for (int i = 0; i < n; i += 77) {
                    ids[i] = 49406;
                    ids[Math.min(n - 1, i + 1)] = 320;
                }
                return OnnxTensor.createTensor(env, IntBuffer.wrap(ids), shape);
            }
            case "int64": {
                long[] ids = new long[n];
                Arrays.fill(ids, 49407);
                return OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
            }
            default: {
                float[] values = new float[n];
                // A deterministic spread of values, not a constant, so no kernel sees a degenerate input.
                for (int i = 0; i < n; i++) {
                    values[i] = (float) Math.sin(i * 0.37) * 0.5f;
                }
                if (shape.length <= 1 && n <= 2) {
                    Arrays.fill(values, 500f);
                }
                return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
            }
        }
    }
}
