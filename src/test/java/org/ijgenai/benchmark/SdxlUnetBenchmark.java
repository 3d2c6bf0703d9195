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
 * Load time, seconds per step and peak RSS of an SDXL-architecture UNet (tools/export_sdxl_unet.py) at a size,
 * through ij-genai's UNet wrapper (the pipeline's path) and as raw ONNX Runtime sessions with each optimisation
 * level and the CPU arena on or off (by default: the wrapper, the raw session with the UNet's settings, and ALL_OPT with
 * the arena, the settings before they were measured). Each measurement is its own JVM (so its peak RSS is its own), the
 * configurations interleaved round by round, medians printed with the load average; the wrapper's overhead is its
 * step time over the raw session's with the same settings (EXTENDED, arena on: SessionSettings.Network.UNET). Prints figures; asserts nothing about speed.
 *
 * <pre>
 * mvn -Pbenchmarks -Dtest=SdxlUnetBenchmark -Dsdxl.unet=/tmp/sdxl-unet-s4/unet/model.onnx \
 *     [-Dsdxl.size=512 -Dsdxl.rounds=3 -Dsdxl.steps=3 -Dsdxl.threads=2] test
 * </pre>
 * The text widths come from the {@code config.json} beside the UNet; the printed scale is 2048 / its
 * cross_attention_dim (1 for the real architecture).
 * <pre>
 * </pre>
 */
@Tag("benchmark")
class SdxlUnetBenchmark {

    private static final Pattern LINE = Pattern.compile(
            "load_s=([0-9.]+) step_s=([0-9.]+) peak_rss_mb=([0-9]+) rss_anon_mb=(-?[0-9]+) rss_file_mb=(-?[0-9]+)");

    @Test
    void loadStepAndPeakRssPerSetting() throws Exception {
        String unet = System.getProperty("sdxl.unet");
        assumeTrue(unet != null && Files.isRegularFile(Path.of(unet)),
                "set -Dsdxl.unet to a UNet made by tools/export_sdxl_unet.py; skipping");
        // The text widths from the UNet's config.json: cross_attention_dim, and the pooled width that
        // projection_class_embeddings_input_dim leaves after six time ids of addition_time_embed_dim each.
        JsonObject config = JsonParser.parseString(Files.readString(Path.of(unet).resolveSibling("config.json")))
                .getAsJsonObject();
        int cross = config.get("cross_attention_dim").getAsInt();
        int pooled = config.get("projection_class_embeddings_input_dim").getAsInt()
                - 6 * config.get("addition_time_embed_dim").getAsInt();
        int scale = 2048 / cross;
        String size = System.getProperty("sdxl.size", "512");
        int rounds = Integer.getInteger("sdxl.rounds", 3);
        String steps = System.getProperty("sdxl.steps", "3");
        String threads = System.getProperty("sdxl.threads", "0");
        // The wrapper loads with the UNet's settings (SessionSettings.Network.UNET, whatever the label's level and
        // arena say); the raw session with the same
        // settings gives the overhead ratio, and ALL_OPT with the arena (the settings before they were measured)
        // the before/after figures. -Dsdxl.configs=raw:ALL:arena,... picks others.
        List<String[]> configurations = new ArrayList<>();
        for (String c : System.getProperty("sdxl.configs", "wrapper:EXTENDED:arena,raw:EXTENDED:arena,"
                + "raw:ALL:arena").split(",")) {
            configurations.add(c.split(":"));
        }
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        List<Double> loads = new ArrayList<>();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (int round = 0; round < rounds; round++) {
            for (String[] c : configurations) {
                List<String> command = new ArrayList<>(List.of(Processes.java(), "-Dai.djl.offline=true", "-cp",
                        classpath, SdxlUnetProbe.class.getName(), unet, c[0], c[1], c[2], size, steps, threads,
                        Integer.toString(cross), Integer.toString(pooled)));
                Processes.Result result = Processes.run(command, Path.of("."), Map.of(), 3600);
                Matcher m = LINE.matcher(result.output());
                assertEquals(true, m.find(), result.toString());
                loads.add(OrtSettingsBenchmark.loadAverage());
                results.computeIfAbsent(String.join(" ", c), k -> new ArrayList<>()).add(new double[] {
                    Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                    Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))});
            }
        }
        System.out.printf(Locale.ROOT, "SDXL-architecture UNet (scale 1/%d) at %s², CFG batch 2, %d rounds, medians;"
                + " load average after each run: %s%n", scale, size, rounds, loads);
        double wrapperStep = 0;
        double rawStep = 0;
        for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
            double load = median(e.getValue(), 0);
            double step = median(e.getValue(), 1);
            double rss = median(e.getValue(), 2);
            System.out.printf(Locale.ROOT, "  %-22s load %6.2f s   step %7.3f s   peak RSS %6.0f MB   after the steps:"
                    + " own %6.0f MB + mapped weights %6.0f MB%n", e.getKey(), load, step, rss, median(e.getValue(), 3),
                    median(e.getValue(), 4));
            if (e.getKey().startsWith("wrapper")) {
                wrapperStep = step;
            } else if (e.getKey().equals("raw EXTENDED arena")) {
                rawStep = step;
            }
        }
        System.out.printf(Locale.ROOT, "  wrapper / raw step time (same settings): %.3f%n", wrapperStep / rawStep);
    }

    private static double median(List<double[]> runs, int field) {
        double[] values = runs.stream().mapToDouble(r -> r[field]).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }
}
