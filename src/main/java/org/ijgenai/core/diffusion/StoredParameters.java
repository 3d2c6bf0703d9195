package org.ijgenai.core.diffusion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.text.Emphasis;

/**
 * The generation parameters stored with a picture, read back into the request that makes it again: this project's
 * own keys ({@link GenerationRequest#describe}, in PNG text chunks or an image's Info), or an A1111-style
 * {@code parameters} chunk ({@link A1111Parameters}), whose fields that are not used are named. {@code txt2img
 * --from} and Generate Again... both read through here.
 */
public final class StoredParameters {

    /** The keys of an Info text's first line, which is a title, not a parameter. */
    private static final String INFO_TITLE = "Stable Diffusion (ij-genai)";

    /**
     * What a picture carries.
     *
     * @param values the parameters under this project's keys
     * @param ignored the A1111 fields that were present but are not used (empty for this project's own records)
     */
    public record Read(Map<String, String> values, List<String> ignored) {

        /** Copies the collections. */
        public Read {
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            ignored = List.copyOf(ignored);
        }
    }

    private StoredParameters() {}

    /**
     * The parameters in a PNG's text chunks: this project's own when a seed is among them, else those of an A1111
     * {@code parameters} chunk (without its model name, which names a file on another machine), else the chunks as
     * they are.
     */
    public static Read fromPngText(Map<String, String> text) {
        if (text.containsKey("seed") || !text.containsKey("parameters")) {
            return new Read(text, List.of());
        }
        A1111Parameters.Parsed parsed = A1111Parameters.parse(text.get("parameters"));
        Map<String, String> values = new LinkedHashMap<>(parsed.values());
        values.remove("model");
        return new Read(values, parsed.ignored());
    }

    /**
     * The parameters in an image's Info as {@code GeneratedImagePlus} writes it: a title line, then one
     * {@code key: value} line per parameter; a line without a key continues the value before it (a prompt with a
     * line break).
     */
    public static Read fromInfo(String info) {
        Map<String, String> values = new LinkedHashMap<>();
        String last = null;
        for (String line : info.split("\n", -1)) {
            if (line.equals(INFO_TITLE)) {
                continue;
            }
            int colon = line.indexOf(": ");
            String key = colon > 0 ? line.substring(0, colon) : null;
            if (key != null && key.matches("[a-z][a-z0-9_]*")) {
                values.put(key, line.substring(colon + 2));
                last = key;
            } else if (last != null && !line.isEmpty()) {
                values.put(last, values.get(last) + "\n" + line);
            }
        }
        return new Read(values, List.of());
    }

    /** The prompts of a record: {@code prompt1}, {@code prompt2}, … of a batch, or {@code prompt}; empty if none. */
    public static List<String> prompts(Map<String, String> values) {
        List<String> prompts = new ArrayList<>();
        for (int i = 1; values.containsKey("prompt" + i); i++) {
            prompts.add(values.get("prompt" + i));
        }
        if (prompts.isEmpty() && values.containsKey("prompt") && !values.get("prompt").isEmpty()) {
            prompts.add(values.get("prompt"));
        }
        return prompts;
    }

    /**
     * The negative prompt of a record: SDXL records say whether it was absent ("zeros") or given, even as "";
     * older records store absent as "", read back as absent.
     */
    public static String negative(Map<String, String> values) {
        String recorded = values.get(StableDiffusionPipeline.NEGATIVE_EMBEDDINGS);
        if ("encoded".equals(recorded)) {
            return values.getOrDefault("negative", "");
        }
        return "zeros".equals(recorded) ? null : emptyToNull(values.get("negative"));
    }

    /**
     * The model that made the picture: the recorded folder when it exists on this machine, else the recorded
     * model name (an installed model's), else null.
     */
    public static String model(Map<String, String> values) {
        String path = values.get("model_path");
        if (path != null && !path.isEmpty() && Files.isDirectory(Path.of(path))) {
            return path;
        }
        return emptyToNull(values.get("model"));
    }

    /**
     * Why a record cannot be made again from its parameters alone (an img2img or inpainting result needs its init
     * image; a grid or walk stack stores its seeds in slice labels), or null when it can.
     */
    public static String notReproducible(Map<String, String> values) {
        if (values.containsKey("inpaint")) {
            return "it was made by Generative Fill or Expand, which needs the original image and its selection: run"
                    + " that command again on it with these parameters";
        }
        if (values.containsKey("init")) {
            return "it was made by Image to Image from " + values.get("init") + ", which is not stored with it: run"
                    + " Image to Image on that image with these parameters";
        }
        if (values.containsKey("walk") || values.keySet().stream().anyMatch(k -> k.startsWith("grid_"))) {
            return "it is a walk or grid stack, one picture per slice; each slice's values are in its label";
        }
        if (prompts(values).isEmpty()) {
            return "it carries no generation parameters (no prompt)";
        }
        if (!values.containsKey("seed")) {
            return "its parameters have no seed, so the picture cannot be made again";
        }
        return null;
    }

    /**
     * The request a record describes, fields it lacks at their defaults: steps and guidance from the model's
     * {@code defaults} (its pipeline config), the rest as {@link GenerationRequest#of} has them.
     *
     * @throws GenAiException naming a field whose value is not a number or not a known mode
     */
    public static GenerationRequest request(Map<String, String> values, ModelFolder defaults) {
        String steps = values.get("steps");
        String guidance = values.get("guidance");
        String emphasis = values.getOrDefault("emphasis", Emphasis.ORIGINAL.label());
        return new GenerationRequest(prompts(values), negative(values),
                (long) number(values, "seed", -1), (int) number(values, "steps",
                        steps == null ? defaults.defaultSteps() : 0),
                number(values, "guidance", guidance == null ? defaults.defaultGuidance() : 0),
                emptyToNull(values.get("scheduler")), (int) number(values, "width", 0),
                (int) number(values, "height", 0), (int) number(values, "images_per_prompt", 1),
                number(values, "strength", GenerationRequest.DEFAULT_STRENGTH), Emphasis.fromLabel(emphasis),
                values.get("prompt_2"), values.get("negative_2"), values.get("timestep_spacing"));
    }

    private static double number(Map<String, String> values, String key, double fallback) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new GenAiException("the stored parameter " + key + " is '" + value + "', not a number");
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
