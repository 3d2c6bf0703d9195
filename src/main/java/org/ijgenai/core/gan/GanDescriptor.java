package org.ijgenai.core.gan;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.JsonProblems;
import org.ijgenai.core.catalog.ModelLocator;
import org.ijgenai.core.style.ValueRange;

/**
 * What ij-genai needs to know about an unconditional GAN generator beyond its ONNX file, from {@code gan.json}: the
 * file, which output is the picture when there are several, and the value range of that picture. The z input's
 * name, length and dtype are read from the session, not from here.
 *
 * @param name a name for people
 * @param model the generator's ONNX file
 * @param output the output that holds the picture, or null for the first
 * @param range the picture's value range ({@code -1..1} for the tanh of DCGAN-style generators)
 */
public record GanDescriptor(String name, Path model, String output, ValueRange range) {

    /** The descriptor's file name in a model folder. */
    public static final String FILE_NAME = "gan.json";
    /** The task a GAN descriptor declares, as the model manager reads it. */
    public static final String TASK = "gan";

    private static final Set<String> KEYS = Set.of("name", "description", "task", "model", "output", "range",
            "license", "source");

    /** Checks the fields. */
    public GanDescriptor {
        if (model == null || range == null) {
            throw new IllegalArgumentException("a GAN descriptor needs a model file and a range");
        }
    }

    /**
     * Finds the generator a user named: a model folder with {@code gan.json}, the descriptor itself, or a bare
     * {@code .onnx} file (then the picture is the first output, in [−1, 1], as DCGAN-style generators' tanh gives).
     *
     * @throws GenAiException naming the path and what was expected
     */
    public static GanDescriptor resolve(Path path) {
        if (Files.isDirectory(path)) {
            Path json = path.resolve(FILE_NAME);
            if (!Files.isRegularFile(json)) {
                throw new GenAiException("no " + FILE_NAME + " in " + path + ": not a GAN generator folder (a GAN"
                        + " model such as shapes-gan has model.onnx and gan.json; see docs/inside-the-model.md)");
            }
            return read(json);
        }
        String file = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!Files.isRegularFile(path)) {
            throw new GenAiException("GAN model not found: " + path);
        }
        if (file.endsWith(".json")) {
            return read(path);
        }
        if (file.endsWith(".onnx")) {
            String stem = path.getFileName().toString().replaceAll("(?i)\\.onnx$", "");
            return new GanDescriptor(stem, path, null, ValueRange.MINUS_ONE_TO_ONE);
        }
        throw new GenAiException("expected a GAN model folder, an .onnx file or a " + FILE_NAME + ", got " + path);
    }

    /**
     * Finds the generator a user typed: an installed model's name (e.g. {@code shapes-gan}), a model folder, a
     * {@code gan.json} or an {@code .onnx} file.
     *
     * @param userModelsFolder the user's models folder preference, or null outside ImageJ
     * @throws GenAiException saying what was not found and where to look
     */
    public static GanDescriptor locate(String text, String userModelsFolder) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new GenAiException("no model given: name a GAN generator (e.g. shapes-gan), its folder or its"
                    + " .onnx file");
        }
        Path path = Path.of(t);
        return resolve(Files.isRegularFile(path) ? path : ModelLocator.resolve(t, userModelsFolder));
    }

    /**
     * Reads a descriptor file; {@code model} defaults to {@code model.onnx} beside it and {@code range} to −1..1.
     *
     * @throws GenAiException naming the file and the offending field
     */
    public static GanDescriptor read(Path json) {
        JsonObject object;
        try (Reader reader = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(reader);
            if (!root.isJsonObject()) {
                throw new GenAiException("GAN descriptor " + json + " must hold a JSON object");
            }
            object = root.getAsJsonObject();
        } catch (IOException | JsonParseException e) {
            throw new GenAiException("cannot read GAN descriptor " + json + ": " + JsonProblems.describe(e), e);
        }
        try {
            for (String key : object.keySet()) {
                if (!KEYS.contains(key)) {
                    throw new GenAiException("unknown field '" + key + "'; known fields are " + KEYS);
                }
            }
            String task = JsonProblems.string(object, "task");
            if (task != null && !task.equals(TASK)) {
                throw new GenAiException("this descriptor is for the task '" + task + "', not '" + TASK + "'");
            }
            String model = JsonProblems.string(object, "model");
            String range = JsonProblems.string(object, "range");
            String name = JsonProblems.string(object, "name");
            Path folder = json.toAbsolutePath().getParent();
            return new GanDescriptor(name != null ? name : folder.getFileName().toString(),
                    folder.resolve(model != null ? model : "model.onnx").normalize(), JsonProblems.string(object, "output"),
                    range != null ? ValueRange.parse(range) : ValueRange.MINUS_ONE_TO_ONE);
        } catch (GenAiException e) {
            throw new GenAiException("GAN descriptor " + json + ": " + e.getMessage(), e);
        }
    }
}
