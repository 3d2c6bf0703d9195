package org.ijgenai.core.catalog;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.ijgenai.core.GenAiException;

/**
 * The folder layout of a model, recognised from the files present: the diffusers ONNX export of Stable Diffusion,
 * the transformers.js CLIP layout, an ONNX file with a segmentation or style descriptor, a bioimage.io package, or
 * a bare ONNX file.
 *
 * @param format {@link #DIFFUSERS_ONNX}, {@link #TRANSFORMERS_JS_CLIP}, {@link #ONNX_DESCRIPTOR},
 *        {@link #BIOIMAGE_IO}, {@link #DIFFUSERS_PYTORCH}, {@link #ONNX} or {@link #UNKNOWN}
 * @param task the task the layout implies
 * @param summary what was found, for people
 * @param problems missing parts that stop the commands from using the model (empty when usable)
 */
public record ModelLayout(String format, ModelTask task, String summary, List<String> problems) {

    /** model_index.json plus unet/model.onnx, text_encoder/model.onnx, vae_decoder/model.onnx … */
    public static final String DIFFUSERS_ONNX = "diffusers-onnx";
    /** A diffusers folder with PyTorch weights only. */
    public static final String DIFFUSERS_PYTORCH = "diffusers-pytorch";
    /** onnx/text_model*.onnx plus onnx/vision_model*.onnx with the tokenizer and preprocessor files. */
    public static final String TRANSFORMERS_JS_CLIP = "transformers.js-clip";
    /** A top-level .onnx plus a JSON descriptor whose "task" is "segmentation", "style" or "gan". */
    public static final String ONNX_DESCRIPTOR = "onnx-descriptor";
    /** A bioimage.io model package (rdf.yaml) with ONNX weights. */
    public static final String BIOIMAGE_IO = "bioimage.io";
    /** ONNX files without anything that says how to use them. */
    public static final String ONNX = "onnx";
    /** Nothing recognisable. */
    public static final String UNKNOWN = "unknown";

    /** Copies the problem list. */
    public ModelLayout {
        problems = List.copyOf(problems);
    }

    /** Whether the commands of {@link #task()} can use the folder as it is. */
    public boolean usable() {
        return problems.isEmpty() && !format.equals(UNKNOWN) && task != ModelTask.OTHER;
    }

    /** Recognises the layout of {@code folder}. */
    public static ModelLayout detect(Path folder) {
        if (!Files.isDirectory(folder)) {
            return new ModelLayout(UNKNOWN, ModelTask.OTHER, "not a folder", List.of("no folder at " + folder));
        }
        try {
            return detectIn(folder);
        } catch (IOException e) {
            throw GenAiException.io("reading the model folder " + folder, e);
        }
    }

    private static ModelLayout detectIn(Path folder) throws IOException {
        if (Files.isRegularFile(folder.resolve("model_index.json"))) {
            return diffusers(folder);
        }
        Path onnxDir = folder.resolve("onnx");
        if (Files.isDirectory(onnxDir) && !matching(onnxDir, "text_model").isEmpty()
                && !matching(onnxDir, "vision_model").isEmpty()) {
            return clip(folder, onnxDir);
        }
        List<String> onnxFiles = matching(folder, "");
        if (Files.isRegularFile(folder.resolve("rdf.yaml")) && !onnxFiles.isEmpty()) {
            return new ModelLayout(BIOIMAGE_IO, ModelTask.SEGMENTATION, "bioimage.io package with "
                    + String.join(", ", onnxFiles), List.of());
        }
        if (!onnxFiles.isEmpty()) {
            for (Path json : jsonFiles(folder)) {
                String task = descriptorTask(json);
                if ("segmentation".equals(task) || "style".equals(task) || "gan".equals(task)) {
                    return new ModelLayout(ONNX_DESCRIPTOR, ModelTask.fromId(task), String.join(", ", onnxFiles)
                            + " with descriptor " + json.getFileName(), List.of());
                }
            }
            return new ModelLayout(ONNX, ModelTask.OTHER, String.join(", ", onnxFiles) + " without a descriptor",
                    List.of("no descriptor JSON with a \"task\" of segmentation, style or gan next to the ONNX file"));
        }
        return new ModelLayout(UNKNOWN, ModelTask.OTHER, "no ONNX model found",
                List.of("no model_index.json, onnx/ folder or .onnx file"));
    }

    private static ModelLayout diffusers(Path folder) throws IOException {
        List<String> problems = new ArrayList<>();
        if (!Files.isRegularFile(folder.resolve("unet/model.onnx"))) {
            boolean pytorch = Files.isDirectory(folder.resolve("unet"));
            return new ModelLayout(pytorch ? DIFFUSERS_PYTORCH : UNKNOWN, ModelTask.TEXT_TO_IMAGE,
                    "diffusers folder without unet/model.onnx",
                    List.of("no unet/model.onnx: this is not an ONNX export; convert it with"
                            + " `optimum-cli export onnx --model <folder> <out>`"));
        }
        for (String part : new String[] {"text_encoder/model.onnx", "vae_decoder/model.onnx",
                "scheduler/scheduler_config.json"}) {
            if (!Files.isRegularFile(folder.resolve(part))) {
                problems.add("missing " + part);
            }
        }
        boolean vocab = Files.isRegularFile(folder.resolve("tokenizer/vocab.json"))
                && Files.isRegularFile(folder.resolve("tokenizer/merges.txt"));
        if (!vocab && !Files.isRegularFile(folder.resolve("tokenizer/tokenizer.json"))) {
            problems.add("missing tokenizer/vocab.json + tokenizer/merges.txt");
        }
        boolean img2img = Files.isRegularFile(folder.resolve("vae_encoder/model.onnx"));
        return new ModelLayout(DIFFUSERS_ONNX, ModelTask.TEXT_TO_IMAGE, "diffusers ONNX export"
                + (img2img ? " (txt2img and img2img)" : " (txt2img only: no vae_encoder)"), problems);
    }

    private static ModelLayout clip(Path folder, Path onnxDir) throws IOException {
        List<String> problems = new ArrayList<>();
        boolean tokenizer = Files.isRegularFile(folder.resolve("tokenizer.json"))
                || (Files.isRegularFile(folder.resolve("vocab.json"))
                        && Files.isRegularFile(folder.resolve("merges.txt")));
        if (!tokenizer) {
            problems.add("missing tokenizer.json or vocab.json + merges.txt");
        }
        if (!Files.isRegularFile(folder.resolve("preprocessor_config.json"))) {
            problems.add("missing preprocessor_config.json");
        }
        List<String> variants = new ArrayList<>();
        for (String name : matching(onnxDir, "text_model")) {
            String variant = name.substring("text_model".length(), name.length() - ".onnx".length());
            variants.add(variant.isEmpty() ? "fp32" : variant.substring(1));
        }
        return new ModelLayout(TRANSFORMERS_JS_CLIP, ModelTask.CLIP, "transformers.js CLIP (text and vision"
                + " encoders: " + String.join(", ", variants) + ")", problems);
    }

    /** The .onnx file names directly in {@code dir} that start with {@code prefix}, sorted. */
    private static List<String> matching(Path dir, String prefix) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path path : stream) {
                String name = path.getFileName().toString();
                if (name.toLowerCase(Locale.ROOT).endsWith(".onnx") && name.startsWith(prefix)
                        && Files.isRegularFile(path)) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    private static List<Path> jsonFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.json")) {
            for (Path path : stream) {
                if (Files.isRegularFile(path) && !path.getFileName().toString().equals(Manifest.FILE_NAME)) {
                    files.add(path);
                }
            }
        }
        files.sort(null);
        return files;
    }

    /** The "task" string of a small JSON object file, or null when it has none or is not JSON. */
    static String descriptorTask(Path json) {
        try {
            if (Files.size(json) > (1 << 20)) {
                return null;
            }
            try (Reader reader = Files.newBufferedReader(json, StandardCharsets.UTF_8)) {
                JsonElement element = JsonParser.parseReader(reader);
                if (element.isJsonObject()) {
                    JsonObject object = element.getAsJsonObject();
                    JsonElement task = object.get("task");
                    if (task != null && task.isJsonPrimitive()) {
                        return task.getAsString().trim().toLowerCase(Locale.ROOT);
                    }
                }
            }
        } catch (IOException | JsonParseException | IllegalStateException e) {
            // Not a descriptor; other JSON files (configs) are expected in model folders.
        }
        return null;
    }
}
