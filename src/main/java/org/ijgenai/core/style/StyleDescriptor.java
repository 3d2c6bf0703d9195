package org.ijgenai.core.style;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.JsonProblems;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * How to feed one image-to-image generator: which ONNX file, which input and output, the tensor layout, the
 * value range, the colour order, the size multiple it needs (reached by reflection padding) and the largest tile
 * to run at once. It is read from a {@code style.json} file next to the model (format in docs/style-transfer.md)
 * or taken from a {@link StyleFormat}'s ready values.
 *
 * @param name a label for messages and window titles
 * @param model the ONNX file
 * @param input the input name, or null for the network's first input
 * @param output the output name, or null for the network's first output
 * @param sizeMultiple the network needs height and width to be multiples of this (1 = any size)
 * @param maxTile the largest tile side; bigger images are tiled with overlap
 * @param overlap the overlap between neighbouring tiles, in pixels
 */
public record StyleDescriptor(String name, Path model, String input, String output, TensorLayout layout,
        ValueRange range, ColorOrder colorOrder, int sizeMultiple, int maxTile, int overlap) {

    /** The descriptor file name looked for beside a model. */
    public static final String FILE_NAME = "style.json";
    /** The generic descriptor name the model manager writes when it installs a catalogue model. */
    public static final String GENERIC_FILE_NAME = "descriptor.json";

    private static final Set<String> KEYS = Set.of("name", "format", "model", "input", "output", "layout", "range",
            "colorOrder", "sizeMultiple", "maxTile", "overlap", "description", "license", "source", "task");

    /** Validates the fields. */
    public StyleDescriptor {
        if (model == null || layout == null || range == null || colorOrder == null) {
            throw new IllegalArgumentException("model, layout, range and colorOrder are required");
        }
        if (sizeMultiple < 1) {
            throw new GenAiException("sizeMultiple must be ≥ 1, was " + sizeMultiple);
        }
        if (maxTile < 16) {
            throw new GenAiException("maxTile must be ≥ 16, was " + maxTile);
        }
        if (overlap < 0 || overlap * 2 >= maxTile) {
            throw new GenAiException("overlap must be ≥ 0 and less than half of maxTile (" + maxTile + "), was "
                    + overlap);
        }
    }

    /**
     * Finds the generator a user named: a folder holding {@code style.json}, a descriptor file, or an ONNX file
     * with a {@code <name>.style.json} or {@code style.json} beside it. A {@code format} replaces any descriptor
     * with that family's ready one, so a bare downloaded {@code .onnx} runs without writing one.
     *
     * @param format the family to apply, or null to read the descriptor
     * @throws GenAiException naming the path when nothing usable is found
     */
    public static StyleDescriptor resolve(Path path, StyleFormat format) {
        if (!Files.exists(path)) {
            throw new GenAiException("style model not found: " + path);
        }
        if (Files.isDirectory(path)) {
            Path json = path.resolve(FILE_NAME);
            if (format != null) {
                return format.descriptorFor(onlyOnnxIn(path));
            }
            if (!Files.isRegularFile(json) && Files.isRegularFile(path.resolve(GENERIC_FILE_NAME))) {
                json = path.resolve(GENERIC_FILE_NAME);
            }
            if (!Files.isRegularFile(json)) {
                throw new GenAiException("no " + FILE_NAME + " in " + path + "; add one (see docs/style-transfer.md)"
                        + " or choose a format: " + String.join(", ", StyleFormat.ids()));
            }
            return read(json);
        }
        String file = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (file.endsWith(".json")) {
            if (format != null) {
                throw new GenAiException("a format applies to an .onnx file or a folder, not to the descriptor "
                        + path);
            }
            return read(path);
        }
        if (!file.endsWith(".onnx")) {
            throw new GenAiException("expected a folder, an .onnx file or a " + FILE_NAME + " file, got " + path);
        }
        if (format != null) {
            return format.descriptorFor(path);
        }
        String stem = path.getFileName().toString();
        stem = stem.substring(0, stem.length() - ".onnx".length());
        Path beside = path.resolveSibling(stem + ".style.json");
        if (Files.isRegularFile(beside)) {
            return read(beside).withModel(path);
        }
        Path shared = path.resolveSibling(FILE_NAME);
        if (Files.isRegularFile(shared)) {
            StyleDescriptor descriptor = read(shared);
            if (descriptor.model().getFileName().equals(path.getFileName())) {
                return descriptor;
            }
        }
        throw new GenAiException("no descriptor for " + path + ": add " + stem + ".style.json beside it, or choose a"
                + " format (" + String.join(", ", StyleFormat.ids()) + ")");
    }

    private static Path onlyOnnxIn(Path dir) {
        List<Path> onnx = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.onnx")) {
            files.forEach(onnx::add);
        } catch (IOException e) {
            throw new GenAiException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (onnx.size() == 1) {
            return onnx.get(0);
        }
        Path model = dir.resolve("model.onnx");
        if (Files.isRegularFile(model)) {
            return model;
        }
        throw new GenAiException(dir + " holds " + onnx.size() + " .onnx files; name the one to use");
    }

    /**
     * Reads a descriptor file. Fields left out take the values of its {@code format} when it names one; without
     * a format, {@code layout} and {@code range} are required.
     *
     * @throws GenAiException naming the file and the offending field
     */
    public static StyleDescriptor read(Path json) {
        JsonObject object;
        try (Reader reader = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(reader);
            if (!root.isJsonObject()) {
                throw new GenAiException(json + " must hold a JSON object");
            }
            object = root.getAsJsonObject();
        } catch (IOException | JsonParseException e) {
            throw new GenAiException("cannot read style descriptor " + json + ": " + JsonProblems.describe(e), e);
        }
        try {
            for (String key : object.keySet()) {
                if (!KEYS.contains(key)) {
                    throw new GenAiException("unknown field '" + key + "'; known fields are " + KEYS);
                }
            }
            String task = JsonProblems.string(object, "task");
            if (task != null && !task.equals("style")) {
                throw new GenAiException("this descriptor is for the task '" + task + "', not style transfer");
            }
            String modelName = JsonProblems.string(object, "model");
            if (modelName == null) {
                modelName = "model.onnx";
            }
            Path model = json.toAbsolutePath().getParent().resolve(modelName).normalize();
            String formatId = JsonProblems.string(object, "format");
            StyleDescriptor base = formatId == null ? null : StyleFormat.parse(formatId).descriptorFor(model);
            String layout = JsonProblems.string(object, "layout");
            String range = JsonProblems.string(object, "range");
            if (base == null && (layout == null || range == null)) {
                throw new GenAiException("give 'layout' and 'range', or a 'format' ("
                        + String.join(", ", StyleFormat.ids()) + ") whose values apply");
            }
            String colour = JsonProblems.string(object, "colorOrder");
            String name = JsonProblems.string(object, "name");
            return new StyleDescriptor(
                    name != null ? name : json.toAbsolutePath().getParent().getFileName().toString(),
                    model,
                    JsonProblems.string(object, "input"),
                    JsonProblems.string(object, "output"),
                    layout != null ? TensorLayout.parse(layout) : base.layout(),
                    range != null ? ValueRange.parse(range) : base.range(),
                    colour != null ? ColorOrder.parse(colour) : base != null ? base.colorOrder() : ColorOrder.RGB,
                    integer(object, "sizeMultiple", base != null ? base.sizeMultiple() : 1),
                    integer(object, "maxTile", StyleFormat.DEFAULT_MAX_TILE),
                    integer(object, "overlap", StyleFormat.DEFAULT_OVERLAP));
        } catch (GenAiException e) {
            throw new GenAiException("style descriptor " + json + ": " + e.getMessage(), e);
        }
    }

    private static int integer(JsonObject object, String key, int fallback) {
        JsonElement e = object.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        try {
            double value = e.getAsDouble();
            if (value != Math.rint(value)) {
                throw new NumberFormatException();
            }
            return (int) value;
        } catch (RuntimeException ex) {
            throw new GenAiException("'" + key + "' must be a whole number, was " + e);
        }
    }

    /** The same descriptor for another ONNX file. */
    public StyleDescriptor withModel(Path onnxFile) {
        return new StyleDescriptor(name, onnxFile, input, output, layout, range, colorOrder, sizeMultiple, maxTile,
                overlap);
    }
}
