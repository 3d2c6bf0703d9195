package org.ijgenai.core.diffusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ijgenai.core.text.Emphasis;

/**
 * Generation parameters in AUTOMATIC1111's "infotext" format, the PNG {@code parameters} text chunk that many
 * tools read and write: the prompt, a {@code Negative prompt:} line, then one line of {@code Key: value} pairs
 * ({@code Steps: 20, Sampler: Euler a, CFG scale: 7.5, Seed: 42, Size: 64x64, Model: …}). Reading follows
 * A1111's {@code parse_generation_parameters}: values may be quoted, and fields this project does not use are
 * listed as ignored.
 */
public final class A1111Parameters {

    /** A1111's {@code re_param}: a key of word characters, spaces, '-' and '/', then a quoted or plain value. */
    private static final Pattern PARAM = Pattern.compile(
            "\\s*(\\w[\\w \\-/]+):\\s*(\"(?:\\\\.|[^\\\\\"])+\"|[^,]*)(?:,|$)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)x(\\d+)");

    /** Our scheduler names and A1111's sampler names for them. */
    private static final Map<String, String> SAMPLERS = Map.of(
            "pndm", "PLMS", "ddim", "DDIM", "euler", "Euler", "euler_a", "Euler a", "lms", "LMS",
            "dpmpp_2m", "DPM++ 2M", "dpmpp_2m_karras", "DPM++ 2M Karras", "lcm", "LCM");

    /**
     * What was read from an infotext.
     *
     * @param values the fields in this project's parameter keys (prompt, negative, seed, steps, guidance,
     *        scheduler, width, height, strength, emphasis, model)
     * @param ignored the names of the fields that were present but are not used
     */
    public record Parsed(Map<String, String> values, List<String> ignored) {

        /** Copies the collections. */
        public Parsed {
            values = Map.copyOf(values);
            ignored = List.copyOf(ignored);
        }
    }

    private A1111Parameters() {
    }

    /**
     * Writes the infotext of a generation from its parameter map ({@link GenerationRequest#describe} plus
     * "model" and, where known, "model_hash").
     */
    public static String format(Map<String, String> p) {
        StringBuilder s = new StringBuilder(p.getOrDefault("prompt", ""));
        String negative = p.getOrDefault("negative", "");
        if (!negative.isEmpty()) {
            s.append("\nNegative prompt: ").append(negative);
        }
        String scheduler = p.getOrDefault("scheduler", "");
        List<String> fields = new ArrayList<>();
        // A field the map lacks is left out (a grid's montage has no single seed), never written as "null".
        addIfPresent(fields, "Steps", p.get("steps"));
        addIfPresent(fields, "Sampler", scheduler.isEmpty() ? null : SAMPLERS.getOrDefault(scheduler, scheduler));
        addIfPresent(fields, "CFG scale", p.get("guidance"));
        addIfPresent(fields, "Seed", p.get("seed"));
        if (p.containsKey("width") && p.containsKey("height")) {
            fields.add("Size: " + p.get("width") + "x" + p.get("height"));
        }
        if (p.containsKey("model_hash")) {
            fields.add("Model hash: " + p.get("model_hash"));
        }
        if (p.containsKey("model")) {
            fields.add("Model: " + quote(p.get("model")));
        }
        if (p.containsKey("strength")) {
            fields.add("Denoising strength: " + p.get("strength"));
        }
        if (p.containsKey("images_per_prompt") && !p.get("images_per_prompt").equals("1")) {
            fields.add("Batch size: " + p.get("images_per_prompt"));
        }
        // A1111 writes Emphasis only when it is not its default
        String emphasis = p.getOrDefault("emphasis", Emphasis.ORIGINAL.label());
        if (!emphasis.equals(Emphasis.ORIGINAL.label())) {
            fields.add("Emphasis: " + emphasis);
        }
        return s.append('\n').append(String.join(", ", fields)).toString();
    }

    private static void addIfPresent(List<String> fields, String name, String value) {
        if (value != null) {
            fields.add(name + ": " + value);
        }
    }

    /** Reads an infotext written here or by A1111 (or a tool that writes its format). */
    public static Parsed parse(String text) {
        String[] lines = text.strip().split("\n", -1);
        String last = lines[lines.length - 1];
        int promptLines = lines.length;
        Map<String, String> raw = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(last);
        List<String[]> pairs = new ArrayList<>();
        while (m.find()) {
            pairs.add(new String[] {m.group(1).strip(), unquote(m.group(2).strip())});
        }
        // A1111: the last line is the parameters only when it holds at least three of them
        if (pairs.size() >= 3) {
            promptLines--;
            for (String[] kv : pairs) {
                raw.put(kv[0], kv[1]);
            }
        }
        StringBuilder prompt = new StringBuilder();
        StringBuilder negative = null;
        for (int i = 0; i < promptLines; i++) {
            String line = lines[i].strip();
            if (line.startsWith("Negative prompt:")) {
                negative = new StringBuilder(line.substring("Negative prompt:".length()).strip());
            } else if (negative != null) {
                negative.append('\n').append(line);
            } else {
                prompt.append(prompt.length() > 0 ? "\n" : "").append(line);
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("prompt", prompt.toString());
        values.put("negative", negative == null ? "" : negative.toString());
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String value = e.getValue();
            switch (e.getKey()) {
                case "Steps" -> values.put("steps", value);
                case "CFG scale" -> values.put("guidance", value);
                case "Seed" -> values.put("seed", value);
                case "Sampler" -> {
                    String ours = schedulerOf(value, raw.get("Schedule type"));
                    if (ours != null) {
                        values.put("scheduler", ours);
                    } else {
                        ignored.add("Sampler (" + value + ")");
                    }
                }
                case "Schedule type" -> {
                    if (!value.equals("Karras") && !value.equals("Automatic")) {
                        ignored.add("Schedule type (" + value + ")");
                    }
                }
                case "Size" -> {
                    Matcher size = SIZE.matcher(value);
                    if (size.matches()) {
                        values.put("width", size.group(1));
                        values.put("height", size.group(2));
                    } else {
                        ignored.add("Size (" + value + ")");
                    }
                }
                case "Denoising strength" -> values.put("strength", value);
                case "Batch size" -> values.put("images_per_prompt", value);
                case "Emphasis" -> values.put("emphasis", value);
                case "Model" -> values.put("model", value);
                case "Model hash" -> values.put("model_hash", value);
                default -> ignored.add(e.getKey());
            }
        }
        return new Parsed(values, ignored);
    }

    /** Our scheduler for an A1111 sampler name (with its separate "Schedule type" of newer versions), or null. */
    static String schedulerOf(String sampler, String scheduleType) {
        String name = sampler;
        if ("Karras".equals(scheduleType) && !name.endsWith("Karras")) {
            name = name + " Karras";
        }
        for (Map.Entry<String, String> e : SAMPLERS.entrySet()) {
            if (e.getValue().equalsIgnoreCase(name)) {
                return e.getKey();
            }
        }
        if (name.equalsIgnoreCase("PNDM")) {
            return "pndm";
        }
        return null;
    }

    private static String quote(String value) {
        if (!value.contains(",") && !value.contains("\n") && !value.contains(":") && !value.contains("\"")) {
            return value;
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static String unquote(String value) {
        if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            return value;
        }
        // A1111 reads quoted values with json.loads
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                char next = value.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
