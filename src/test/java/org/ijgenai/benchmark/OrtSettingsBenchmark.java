package org.ijgenai.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ijgenai.testing.Processes;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ONNX Runtime settings per network, measured: load time, seconds per run and peak RSS of each network of a
 * Stable Diffusion folder (random-weight real-size exports from tools/export_sd_benchmark_networks.py or
 * tools/export_sdxl_unet.py) for each graph optimisation level and CPU arena setting, and for a saved optimised
 * model (EXTENDED, saved once, then loaded without optimisation). Each measurement is its own JVM (its peak RSS is its
 * own); configurations are interleaved round by round and medians printed, with the load average. The settings
 * ij-genai uses per network ({@link org.ijgenai.core.onnx.SessionSettings.Network}) were chosen from these figures
 * (docs/sdxl.md). Prints figures; asserts nothing about speed.
 *
 * <pre>
 * mvn -B -o -Pbenchmarks test -Dtest=OrtSettingsBenchmark -Dort.bench.dir=/tmp/sd15-bench \
 *     [-Dort.bench.networks=text_encoder,vae_decoder,unet -Dort.bench.rounds=3 -Dort.bench.runs=3 \
 *      -Dort.bench.size=512 -Dort.bench.threads=0 -Dort.bench.configs=ALL:arena,EXTENDED:arena,...,saved]
 * </pre>
 */
@Tag("benchmark")
class OrtSettingsBenchmark {

    private static final Pattern LINE = Pattern.compile("load_s=([0-9.]+) step_s=([0-9.]+) peak_rss_mb=([0-9]+)");
    private static final String CONFIGS = "ALL:arena,EXTENDED:arena,EXTENDED:noarena,BASIC:noarena,ALL:noarena,saved";

    @Test
    void loadRunAndPeakRssPerSetting() throws Exception {
        String dir = System.getProperty("ort.bench.dir");
        assumeTrue(dir != null && Files.isDirectory(Path.of(dir)),
                "set -Dort.bench.dir to a folder made by tools/export_sd_benchmark_networks.py; skipping");
        int size = Integer.getInteger("ort.bench.size", 512);
        int rounds = Integer.getInteger("ort.bench.rounds", 3);
        String runs = System.getProperty("ort.bench.runs", "3");
        String threads = System.getProperty("ort.bench.threads", "0");
        List<String> configs = List.of(System.getProperty("ort.bench.configs", CONFIGS).split(","));
        for (String network : System.getProperty("ort.bench.networks", "text_encoder,vae_decoder,unet").split(",")) {
            Path file = Path.of(dir, network, "model.onnx");
            assumeTrue(Files.isRegularFile(file), file + " is missing");
            List<String> inputs = inputs(network, file, size);
            Path saved = Files.createTempDirectory("ort-saved").resolve("model.onnx");
            if (configs.contains("saved")) {
                probe(file, "EXTENDED", "noarena", "save:" + saved, "0", threads, inputs);
            }
            Map<String, List<double[]>> results = new LinkedHashMap<>();
            List<Double> loads = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (String config : configs) {
                    double[] r = config.equals("saved")
                            ? probe(saved, "NONE", "noarena", "-", runs, threads, inputs)
                            : probe(file, config.split(":")[0], config.split(":")[1], "-", runs, threads, inputs);
                    results.computeIfAbsent(config, k -> new ArrayList<>()).add(r);
                    loads.add(loadAverage());
                }
            }
            System.out.printf(Locale.ROOT, "%s (%s) at %d², %d rounds, medians; load average during the runs %.1f"
                    + " (min %.1f, max %.1f):%n", network, String.join(" ", inputs), size, rounds, median(loads),
                    loads.stream().mapToDouble(d -> d).min().orElse(0), loads.stream().mapToDouble(d -> d).max()
                            .orElse(0));
            for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
                System.out.printf(Locale.ROOT, "  %-18s load %7.2f s   run %8.3f s   peak RSS %6.0f MB   (runs: %s)%n",
                        e.getKey().equals("saved") ? "saved EXTENDED" : e.getKey(), medianOf(e.getValue(), 0),
                        medianOf(e.getValue(), 1), medianOf(e.getValue(), 2), describe(e.getValue()));
            }
        }
    }

    /** The probe's inputs for a network at a size: a CFG batch of 2 for the UNet, one image for the VAE. */
    static List<String> inputs(String network, Path file, int size) throws Exception {
        int h = size / 8;
        switch (network) {
            case "text_encoder":
            case "text_encoder_2":
                return List.of("input_ids:int32:1x77");
            case "vae_decoder":
                return List.of("latent_sample:float:1x4x" + h + "x" + h);
            case "vae_encoder":
                return List.of("sample:float:1x3x" + size + "x" + size);
            default:
                Path config = file.resolveSibling("config.json");
                List<String> unet = new ArrayList<>(List.of("sample:float:2x4x" + h + "x" + h, "timestep:float:2"));
                if (Files.isRegularFile(config)) {
                    JsonObject c = JsonParser.parseString(Files.readString(config)).getAsJsonObject();
                    int cross = c.get("cross_attention_dim").getAsInt();
                    unet.add("encoder_hidden_states:float:2x77x" + cross);
                    if (c.has("addition_embed_type") && !c.get("addition_embed_type").isJsonNull()) {
                        int pooled = c.get("projection_class_embeddings_input_dim").getAsInt()
                                - 6 * c.get("addition_time_embed_dim").getAsInt();
                        unet.add("text_embeds:float:2x" + pooled);
                        unet.add("time_ids:float:2x6");
                    }
                } else {
                    unet.add("encoder_hidden_states:float:2x77x768");
                }
                return unet;
        }
    }

    private static double[] probe(Path file, String level, String arena, String save, String runs, String threads,
            List<String> inputs) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Processes.java(), "-Dai.djl.offline=true", "-cp", classpath,
                OrtSettingsProbe.class.getName(), file.toString(), level, arena, save, runs, threads));
        command.addAll(inputs);
        Processes.Result result = Processes.run(command, Path.of("."), Map.of(), 3600);
        Matcher m = LINE.matcher(result.output());
        assertEquals(true, m.find(), result.toString());
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
            Double.parseDouble(m.group(3))};
    }

    /** The one-minute load average, which these figures must be read against on a shared machine. */
    static double loadAverage() throws Exception {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    private static String describe(List<double[]> runs) {
        List<String> parts = new ArrayList<>();
        for (double[] r : runs) {
            parts.add(String.format(Locale.ROOT, "%.1f/%.2f/%.0f", r[0], r[1], r[2]));
        }
        return String.join(" ", parts);
    }

    static double medianOf(List<double[]> runs, int field) {
        return median(runs.stream().map(r -> r[field]).toList());
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(d -> d).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
