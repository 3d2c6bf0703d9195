package org.ijgenai.core.segment;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.JsonProblems;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Everything ij-genai needs to know to run one ONNX segmentation network: where the model is, how to feed it, what
 * it returns, and how to handle big images. Read from {@code segmentation.json} (documented in
 * docs/segmentation.md) or from a bioimage.io {@code rdf.yaml}.
 *
 * @param directory the folder of the descriptor; relative paths resolve against it
 * @param inputName the network input to feed, or null for the first one
 * @param channels the channel count the network expects
 * @param colorOrder "RGB", "BGR", "GREY" or "ANY" (channels passed through in image order)
 * @param inputRange the value range the normalisation expects (e.g. 0–255), to which 16- and 32-bit images are
 *     rescaled; null when any range is fine (whole-image normalisations)
 * @param fixedWidth the only input width the network accepts, or 0 when free
 * @param minSize the smallest width and height a free-size network accepts
 * @param backgroundClass the class whose complement is the foreground, for class outputs
 * @param foregroundChannel the channel holding the foreground, for {@link OutputKind#MAPS}
 * @param tile the tile size for {@link Strategy#TILE}, in input pixels
 * @param antialias whether {@link Strategy#RESIZE} widens the bilinear filter when shrinking (PIL style); plain
 *     bilinear otherwise (PyTorch's and OpenCV's default)
 */
public record SegmentationDescriptor(Path directory, String name, Path modelFile, String inputName, Layout inputLayout,
        int channels, String colorOrder, double[] inputRange, List<NormalizationStep> normalization, int fixedWidth,
        int fixedHeight, int minSize, int sizeMultiple, String outputName, Layout outputLayout, OutputKind outputKind,
        List<String> classNames, int backgroundClass, int foregroundChannel, Strategy strategy, int tile,
        int overlap, int blend, boolean antialias, String license) {

    /** The descriptor file name looked for in a model folder. */
    public static final String FILE_NAME = "segmentation.json";

    /** Tensor layouts; {@code NHW} has no channel axis (one channel). */
    public enum Layout {
        /** Batch, channel, height, width. */
        NCHW,
        /** Batch, height, width, channel. */
        NHWC,
        /** Batch, height, width. */
        NHW;

        static Layout parse(String value, String where) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new GenAiException(where + ": layout '" + value + "' is not one of NCHW, NHWC, NHW");
            }
        }
    }

    /** How an image of another size than the network's reaches the network. */
    public enum Strategy {
        /** Resize the whole image to the network's fixed size and the output back (IS-Net, salient objects). */
        RESIZE,
        /** Cut into overlapping tiles at native resolution (microscopy, big images). */
        TILE
    }

    /** Validates and copies. */
    public SegmentationDescriptor {
        normalization = List.copyOf(normalization);
        classNames = List.copyOf(classNames);
        inputRange = inputRange == null ? null : inputRange.clone();
        if (channels < 1) {
            throw new GenAiException(where(directory) + ": input channels must be ≥ 1, was " + channels);
        }
        if (sizeMultiple < 1) {
            throw new GenAiException(where(directory) + ": size multiple must be ≥ 1, was " + sizeMultiple);
        }
        if ((fixedWidth == 0) != (fixedHeight == 0)) {
            throw new GenAiException(where(directory) + ": a fixed size needs both width and height");
        }
        if (strategy == Strategy.RESIZE && fixedWidth == 0) {
            // A free-size network needs no resizing: run the whole image as one tile instead.
            strategy = Strategy.TILE;
            tile = 0;
        }
    }

    private static String where(Path directory) {
        return directory == null ? "segmentation descriptor" : directory.resolve(FILE_NAME).toString();
    }

    /** A copy of the input range, or null. */
    @Override
    public double[] inputRange() {
        return inputRange == null ? null : inputRange.clone();
    }

    /** Whether the network accepts only one input size. */
    public boolean isFixedSize() {
        return fixedWidth > 0;
    }

    /**
     * Finds and reads the descriptor for a model folder, a descriptor file, or an {@code .onnx} file with a
     * descriptor beside it: {@code segmentation.json} first, then bioimage.io {@code rdf.yaml} /
     * {@code bioimageio.yaml}.
     *
     * @throws GenAiException naming what is missing
     */
    public static SegmentationDescriptor load(Path path) {
        if (!Files.exists(path)) {
            throw new GenAiException("model not found: " + path);
        }
        Path dir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        String fileName = path.getFileName().toString();
        if (Files.isRegularFile(path) && fileName.endsWith(".json")) {
            return fromJson(path);
        }
        if (Files.isRegularFile(path) && (fileName.endsWith(".yaml") || fileName.endsWith(".yml"))) {
            return BioimageRdf.read(path);
        }
        Path json = dir.resolve(FILE_NAME);
        if (Files.isRegularFile(json)) {
            return fromJson(json);
        }
        for (String rdf : new String[] {"rdf.yaml", "bioimageio.yaml"}) {
            if (Files.isRegularFile(dir.resolve(rdf))) {
                return BioimageRdf.read(dir.resolve(rdf));
            }
        }
        throw new GenAiException("no segmentation descriptor in " + dir + ": expected " + FILE_NAME
                + " (see docs/segmentation.md) or a bioimage.io rdf.yaml");
    }

    /** Reads a {@code segmentation.json} file. */
    public static SegmentationDescriptor fromJson(Path file) {
        String where = file.toString();
        JsonObject root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement element = JsonParser.parseReader(reader);
            if (!element.isJsonObject()) {
                throw new GenAiException(where + ": expected a JSON object");
            }
            root = element.getAsJsonObject();
        } catch (IOException | JsonParseException e) {
            throw new GenAiException("cannot read " + where + ": " + JsonProblems.describe(e), e);
        }
        Path dir = file.toAbsolutePath().getParent();
        String name = string(root, "name", dir.getFileName().toString());
        Path model = dir.resolve(string(root, "model", "model.onnx"));

        JsonObject input = object(root, "input");
        String inputName = input == null ? null : string(input, "name", null);
        Layout inputLayout = Layout.parse(input == null ? "NCHW" : string(input, "layout", "NCHW"), where);
        String order = (input == null ? "RGB" : string(input, "color_order", "RGB")).toUpperCase(Locale.ROOT);
        int channels;
        switch (order) {
            case "RGB":
            case "BGR":
                channels = 3;
                break;
            case "GREY":
            case "GRAY":
                order = "GREY";
                channels = 1;
                break;
            case "ANY":
                channels = input == null ? 1 : integer(input, "channels", 1, where);
                break;
            default:
                throw new GenAiException(where + ": input.color_order '" + order + "' is not one of RGB, BGR, GREY, "
                        + "ANY");
        }
        if (input != null && input.has("channels") && integer(input, "channels", channels, where) != channels) {
            throw new GenAiException(where + ": input.channels " + input.get("channels") + " contradicts color_order "
                    + order);
        }
        List<NormalizationStep> steps = normalization(root.get("normalization"), where);
        double[] range = null;
        if (input != null && input.has("range")) {
            range = numbers(input.get("range"), where + " input.range");
        } else if (steps.stream().noneMatch(NormalizationStep::needsStatistics)) {
            range = new double[] {0, 255};
        }

        JsonObject size = object(root, "size");
        int fixedWidth = 0;
        int fixedHeight = 0;
        int minSize = 1;
        int multiple = 1;
        if (size != null) {
            if (size.has("fixed")) {
                double[] fixed = numbers(size.get("fixed"), where + " size.fixed");
                if (fixed.length != 2) {
                    throw new GenAiException(where + ": size.fixed must be [width, height]");
                }
                fixedWidth = (int) fixed[0];
                fixedHeight = (int) fixed[1];
            }
            minSize = integer(size, "min", 1, where);
            multiple = integer(size, "multiple", 1, where);
        }

        JsonObject output = object(root, "output");
        String outputName = output == null ? null : string(output, "name", null);
        Layout outputLayout = Layout.parse(output == null ? "NCHW" : string(output, "layout", "NCHW"), where);
        OutputKind kind = OutputKind.parse(output == null ? "foreground" : string(output, "kind", "foreground"),
                where);
        int foregroundChannel = output == null ? 0 : integer(output, "foreground_channel", 0, where);
        List<String> classes = new ArrayList<>();
        if (root.has("classes")) {
            for (JsonElement e : root.getAsJsonArray("classes")) {
                classes.add(e.getAsString());
            }
        }
        if (kind == OutputKind.LABELS && classes.isEmpty()) {
            throw new GenAiException(where + ": a 'labels' output needs the list of 'classes'");
        }
        int background = integer(root, "background_class", 0, where);

        JsonObject strategy = object(root, "strategy");
        Strategy mode = Strategy.valueOf(strategy == null ? (fixedWidth > 0 ? "RESIZE" : "TILE")
                : string(strategy, "mode", "tile").toUpperCase(Locale.ROOT));
        int tile = strategy == null ? 512 : integer(strategy, "tile", 512, where);
        int overlap = strategy == null ? 64 : integer(strategy, "overlap", 64, where);
        int blend = strategy == null ? overlap / 2 : integer(strategy, "blend", overlap / 2, where);
        boolean antialias = strategy != null && strategy.has("antialias") && strategy.get("antialias").getAsBoolean();
        return new SegmentationDescriptor(dir, name, model, inputName, inputLayout, channels, order, range, steps,
                fixedWidth, fixedHeight, minSize, multiple, outputName, outputLayout, kind, classes, background,
                foregroundChannel, mode, tile, overlap, blend, antialias, string(root, "license", ""));
    }

    private static List<NormalizationStep> normalization(JsonElement element, String where) {
        List<NormalizationStep> steps = new ArrayList<>();
        if (element == null || element.isJsonNull()) {
            return steps;
        }
        JsonArray array;
        if (element.isJsonArray()) {
            array = element.getAsJsonArray();
        } else {
            array = new JsonArray();
            array.add(element);
        }
        for (JsonElement e : array) {
            JsonObject step = e.getAsJsonObject();
            String mode = string(step, "mode", null);
            if (mode == null) {
                throw new GenAiException(where + ": every normalisation step needs a 'mode'");
            }
            switch (NormalizationStep.Kind.parse(mode, where)) {
                case LINEAR:
                    steps.add(NormalizationStep.linear(numbers(step.get("scale"), where + " scale"),
                            numbers(step.has("offset") ? step.get("offset") : null, where + " offset")));
                    break;
                case MEAN_STD:
                    steps.add(NormalizationStep.meanStd(numbers(step.get("mean"), where + " mean"),
                            numbers(step.get("std"), where + " std")));
                    break;
                case ZERO_MEAN_UNIT_VARIANCE:
                    steps.add(NormalizationStep.zeroMeanUnitVariance(number(step, "eps", 1e-6)));
                    break;
                case SCALE_RANGE:
                    steps.add(NormalizationStep.scaleRange(number(step, "min_percentile", 0),
                            number(step, "max_percentile", 100), number(step, "eps", 1e-6)));
                    break;
                case CLIP:
                    steps.add(NormalizationStep.clip(number(step, "min", Double.NEGATIVE_INFINITY),
                            number(step, "max", Double.POSITIVE_INFINITY)));
                    break;
                default:
                    throw new IllegalStateException(mode);
            }
        }
        return steps;
    }

    private static JsonObject object(JsonObject parent, String key) {
        return parent.has(key) && parent.get(key).isJsonObject() ? parent.getAsJsonObject(key) : null;
    }

    private static String string(JsonObject parent, String key, String fallback) {
        return parent.has(key) && !parent.get(key).isJsonNull() ? parent.get(key).getAsString() : fallback;
    }

    private static int integer(JsonObject parent, String key, int fallback, String where) {
        if (!parent.has(key)) {
            return fallback;
        }
        try {
            return parent.get(key).getAsInt();
        } catch (RuntimeException e) {
            throw new GenAiException(where + ": '" + key + "' must be an integer, was " + parent.get(key));
        }
    }

    private static double number(JsonObject parent, String key, double fallback) {
        return parent.has(key) ? parent.get(key).getAsDouble() : fallback;
    }

    private static double[] numbers(JsonElement element, String where) {
        if (element == null) {
            return new double[] {0};
        }
        try {
            if (element.isJsonArray()) {
                JsonArray array = element.getAsJsonArray();
                double[] values = new double[array.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = array.get(i).getAsDouble();
                }
                return values;
            }
            return new double[] {element.getAsDouble()};
        } catch (RuntimeException e) {
            throw new GenAiException(where + " must be a number or a list of numbers, was " + element);
        }
    }
}
