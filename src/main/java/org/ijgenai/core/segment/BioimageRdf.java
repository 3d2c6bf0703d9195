package org.ijgenai.core.segment;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads the ONNX weights entry, first input and first output of a bioimage.io model description
 * ({@code rdf.yaml}, format 0.4 or 0.5) into a {@link SegmentationDescriptor}: axes, sizes, halo, and the
 * {@code zero_mean_unit_variance}, {@code scale_range}, {@code scale_linear} and {@code clip} preprocessing.
 */
final class BioimageRdf {

    private BioimageRdf() {}

    static SegmentationDescriptor read(Path file) {
        String where = file.toString();
        Object loaded;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            loaded = new Load(LoadSettings.builder().build()).loadFromReader(reader);
        } catch (IOException | YamlEngineException e) {
            throw new GenAiException("cannot read " + where + ": " + e.getMessage(), e);
        }
        Map<?, ?> root = map(loaded, where);
        Path dir = file.toAbsolutePath().getParent();
        Map<?, ?> weights = map(root.get("weights"), where + " weights");
        if (!weights.containsKey("onnx")) {
            throw new GenAiException(where + " has no ONNX weights (it has " + weights.keySet()
                    + "); ij-genai runs ONNX only: convert the model to ONNX or pick another one");
        }
        Map<?, ?> onnx = map(weights.get("onnx"), where + " weights.onnx");
        Path model = dir.resolve(String.valueOf(onnx.get("source")));

        Map<?, ?> input = map(list(root.get("inputs"), where + " inputs").get(0), where + " inputs[0]");
        Map<?, ?> output = map(list(root.get("outputs"), where + " outputs").get(0), where + " outputs[0]");
        Axes in = Axes.of(input, where + " inputs[0]");
        Axes out = Axes.of(output, where + " outputs[0]");

        List<NormalizationStep> steps = new ArrayList<>();
        Object pre = input.get("preprocessing");
        if (pre != null) {
            for (Object o : list(pre, where + " preprocessing")) {
                steps.add(step(map(o, where + " preprocessing"), where));
            }
        }
        String name = String.valueOf(root.containsKey("name") ? root.get("name") : dir.getFileName());
        int halo = Math.max(out.haloX, out.haloY);
        int multiple = Math.max(1, Math.max(in.stepX, in.stepY));
        int overlap = halo > 0 ? 2 * halo : 2 * Math.max(16, multiple);
        overlap = (overlap + multiple - 1) / multiple * multiple;
        int tile = Math.max(256, Math.max(in.minX, in.minY));
        tile = Math.max((tile + multiple - 1) / multiple * multiple, overlap + 2 * multiple);
        if (tile < 2 * overlap) {
            tile = (2 * overlap + multiple - 1) / multiple * multiple;
        }
        boolean fixed = in.stepX == 0 && in.stepY == 0 && in.minX > 0;
        OutputKind kind = OutputKind.MAPS;
        return new SegmentationDescriptor(dir, name, model, in.name, in.layout, in.channels,
                in.channels == 3 ? "RGB" : (in.channels == 1 ? "GREY" : "ANY"), null, steps, fixed ? in.minX : 0,
                fixed ? in.minY : 0, fixed ? 1 : Math.max(1, Math.max(in.minX, in.minY)), multiple, out.name,
                out.layout, kind, List.of(), 0, 0, SegmentationDescriptor.Strategy.TILE,
                fixed ? Math.max(in.minX, in.minY) : tile, overlap, overlap / 2, false,
                String.valueOf(root.containsKey("license") ? root.get("license") : ""));
    }

    private static NormalizationStep step(Map<?, ?> step, String where) {
        Object id = step.containsKey("id") ? step.get("id") : step.get("name");
        Map<?, ?> kwargs = step.containsKey("kwargs") ? map(step.get("kwargs"), where + " kwargs") : Map.of();
        String kind = String.valueOf(id).toLowerCase(Locale.ROOT);
        String mode = String.valueOf(kwargs.containsKey("mode") ? kwargs.get("mode") : "per_sample");
        switch (kind) {
            case "zero_mean_unit_variance":
                if (mode.equals("fixed")) {
                    return NormalizationStep.meanStd(doubles(kwargs.get("mean")), doubles(kwargs.get("std")));
                }
                checkPerSample(mode, kind, where);
                return NormalizationStep.zeroMeanUnitVariance(number(kwargs.get("eps"), 1e-6));
            case "fixed_zero_mean_unit_variance":
                return NormalizationStep.meanStd(doubles(kwargs.get("mean")), doubles(kwargs.get("std")));
            case "scale_range":
                checkPerSample(mode, kind, where);
                return NormalizationStep.scaleRange(number(kwargs.get("min_percentile"), 0),
                        number(kwargs.get("max_percentile"), 100), number(kwargs.get("eps"), 1e-6));
            case "scale_linear":
                return NormalizationStep.linear(doubles(kwargs.get("gain")),
                        kwargs.containsKey("offset") ? doubles(kwargs.get("offset")) : new double[] {0});
            case "clip":
                return NormalizationStep.clip(number(kwargs.get("min"), Double.NEGATIVE_INFINITY),
                        number(kwargs.get("max"), Double.POSITIVE_INFINITY));
            default:
                throw new GenAiException(where + ": preprocessing '" + id + "' is not supported (supported: "
                        + "zero_mean_unit_variance, scale_range, scale_linear, clip)");
        }
    }

    private static void checkPerSample(String mode, String kind, String where) {
        if (!mode.equals("per_sample")) {
            throw new GenAiException(where + ": " + kind + " mode '" + mode + "' needs dataset statistics that the "
                    + "rdf.yaml does not carry; only per_sample (whole image) and fixed are supported");
        }
    }

    /** The axes of one tensor: name, layout, channels, size constraints and halo. */
    private record Axes(String name, SegmentationDescriptor.Layout layout, int channels, int minX, int minY,
            int stepX, int stepY, int haloX, int haloY) {

        static Axes of(Map<?, ?> tensor, String where) {
            String name = String.valueOf(tensor.containsKey("id") ? tensor.get("id") : tensor.get("name"));
            Object axesValue = tensor.get("axes");
            List<String> letters = new ArrayList<>();
            List<Map<?, ?>> v5 = new ArrayList<>();
            if (axesValue instanceof String s) {
                for (char c : s.toCharArray()) {
                    letters.add(String.valueOf(c));
                }
            } else {
                for (Object o : list(axesValue, where + " axes")) {
                    Map<?, ?> axis = map(o, where + " axes");
                    v5.add(axis);
                    String type = String.valueOf(axis.get("type"));
                    letters.add(switch (type) {
                        case "batch" -> "b";
                        case "channel" -> "c";
                        case "space" -> String.valueOf(axis.get("id"));
                        default -> type;
                    });
                }
            }
            String joined = String.join("", letters);
            SegmentationDescriptor.Layout layout = switch (joined) {
                case "bcyx" -> SegmentationDescriptor.Layout.NCHW;
                case "byxc" -> SegmentationDescriptor.Layout.NHWC;
                case "byx" -> SegmentationDescriptor.Layout.NHW;
                default -> throw new GenAiException(where + ": axes '" + joined + "' are not supported; ij-genai "
                        + "runs 2D models with axes bcyx, byxc or byx");
            };
            int[] min = new int[letters.size()];
            int[] step = new int[letters.size()];
            int[] halo = new int[letters.size()];
            if (v5.isEmpty()) {
                Object shape = tensor.get("shape");
                if (shape instanceof List<?> fixed) {
                    for (int i = 0; i < min.length; i++) {
                        min[i] = (int) number(fixed.get(i), 0);
                    }
                } else if (shape instanceof Map<?, ?> m && m.containsKey("min")) {
                    List<?> mins = list(m.get("min"), where + " shape.min");
                    List<?> steps = list(m.get("step"), where + " shape.step");
                    for (int i = 0; i < min.length; i++) {
                        min[i] = (int) number(mins.get(i), 0);
                        step[i] = (int) number(steps.get(i), 0);
                    }
                }
                if (tensor.get("halo") instanceof List<?> h) {
                    for (int i = 0; i < halo.length; i++) {
                        halo[i] = (int) number(h.get(i), 0);
                    }
                }
            } else {
                for (int i = 0; i < v5.size(); i++) {
                    Map<?, ?> axis = v5.get(i);
                    Object size = axis.get("size");
                    if (size instanceof Number n) {
                        min[i] = n.intValue();
                    } else if (size instanceof Map<?, ?> m && m.containsKey("min")) {
                        min[i] = (int) number(m.get("min"), 0);
                        step[i] = (int) number(m.get("step"), 0);
                    }
                    if (axis.get("channel_names") instanceof List<?> names) {
                        min[i] = names.size();
                    }
                    halo[i] = (int) number(axis.get("halo"), 0);
                }
            }
            int c = joined.indexOf('c');
            int y = joined.indexOf('y');
            int x = joined.indexOf('x');
            int channels = c < 0 ? 1 : Math.max(1, min[c]);
            return new Axes(name, layout, channels, min[x], min[y], step[x], step[y], halo[x], halo[y]);
        }
    }

    private static Map<?, ?> map(Object value, String where) {
        if (value instanceof Map<?, ?> m) {
            return m;
        }
        throw new GenAiException(where + ": expected a mapping, found " + value);
    }

    private static List<?> list(Object value, String where) {
        if (value instanceof List<?> l && !l.isEmpty()) {
            return l;
        }
        throw new GenAiException(where + ": expected a non-empty list, found " + value);
    }

    private static double number(Object value, double fallback) {
        return value instanceof Number n ? n.doubleValue() : fallback;
    }

    private static double[] doubles(Object value) {
        if (value instanceof List<?> l) {
            double[] values = new double[l.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = number(l.get(i), 0);
            }
            return values;
        }
        return new double[] {number(value, 0)};
    }
}
