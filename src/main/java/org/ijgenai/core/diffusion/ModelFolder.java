package org.ijgenai.core.diffusion;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.JsonProblems;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * A Stable Diffusion model folder in the diffusers / Optimum ONNX layout ({@code model_index.json},
 * {@code text_encoder/}, {@code unet/}, {@code vae_decoder/}, {@code vae_encoder/}, {@code tokenizer/},
 * {@code scheduler/scheduler_config.json}), validated on opening, with the facts the pipelines need from its
 * configuration files. An SDXL folder (its index names {@code text_encoder_2}, or it has that folder) also needs
 * {@code text_encoder_2/model.onnx} and {@code tokenizer_2/}.
 *
 * @param vaeEncoder the encoder's ONNX file, or null when the folder has none (txt2img only)
 * @param scalingFactor the VAE latent scaling factor (0.18215 unless a VAE config says otherwise)
 * @param nativeWidth the default width: the UNet's sample_size × 8, the VAE's sample_size, else 512 (768 for
 *     v-prediction models)
 * @param sizeMultiple the multiple image sides must have, when the UNet config tells it, else 8
 * @param sizeMultipleKnown whether {@code sizeMultiple} comes from the UNet config (otherwise a failing size is
 *     explained after the fact)
 * @param predictionType epsilon, v_prediction or sample, from the scheduler config
 * @param timeCondProjDim the width of an LCM UNet's guidance embedding ({@code time_cond_proj_dim} in
 *     {@code unet/config.json}), or −1 when the config does not give it
 * @param textEncoder2 SDXL's second text encoder ({@code text_encoder_2/model.onnx}), or null for SD 1.x/2.x
 * @param tokenizer2 SDXL's second tokenizer folder ({@code tokenizer_2/}), or null for SD 1.x/2.x
 * @param forceZerosForEmptyPrompt SDXL's {@code force_zeros_for_empty_prompt} from {@code model_index.json}
 *     (diffusers' default true): under guidance, no negative prompt means zero negative embeddings
 */
public record ModelFolder(Path root, Path textEncoder, Path unet, Path vaeDecoder, Path vaeEncoder, Path tokenizer,
        Path schedulerConfig, String schedulerClass, double scalingFactor, int nativeWidth, int nativeHeight,
        int sizeMultiple, boolean sizeMultipleKnown, String predictionType, int timeCondProjDim, Path textEncoder2,
        Path tokenizer2, boolean forceZerosForEmptyPrompt) {

    /** diffusers' Stable Diffusion 1.x latent scaling, hard-coded in its ONNX pipelines. */
    public static final double DEFAULT_SCALING_FACTOR = 0.18215;
    /** SDXL-Turbo's documented step count (its model card: 1 step; 1–4 work). */
    public static final int TURBO_STEPS = 1;

    /**
     * Opens and validates a model folder.
     *
     * @throws GenAiException naming the missing or broken file, or saying why the folder is not a Stable Diffusion
     *     ONNX model
     */
    public static ModelFolder open(Path root) {
        if (root == null || !Files.isDirectory(root)) {
            throw new GenAiException("Model folder not found: " + root);
        }
        Path index = root.resolve("model_index.json");
        JsonObject modelIndex = null;
        if (Files.isRegularFile(index)) {
            modelIndex = readJson(index);
            String cls = string(modelIndex, "_class_name", "unknown");
            if (modelIndex.has("unet") && modelIndex.has("text_encoder_2") && !names(modelIndex, "text_encoder")) {
                throw new GenAiException(root + " is an SDXL refiner (" + cls + ": text_encoder_2 only, "
                        + "aesthetic-score time ids), which ij-genai does not run; open an SDXL base or Turbo export");
            }
            if (!modelIndex.has("unet") || !modelIndex.has("text_encoder")) {
                throw new GenAiException(root + " is not a Stable Diffusion model: its model_index.json describes "
                        + cls + ", with no unet and text_encoder");
            }
        } else if (!Files.isDirectory(root.resolve("unet"))) {
            throw new GenAiException(root + " is not a Stable Diffusion ONNX model folder: expected model_index.json,"
                    + " unet/model.onnx, text_encoder/model.onnx, vae_decoder/model.onnx, tokenizer/ and"
                    + " scheduler/scheduler_config.json");
        }
        if (!Files.exists(root.resolve("unet/model.onnx"))
                && (Files.exists(root.resolve("unet/diffusion_pytorch_model.safetensors"))
                        || Files.exists(root.resolve("unet/diffusion_pytorch_model.bin")))) {
            throw new GenAiException(root + " is a diffusers PyTorch folder, not an ONNX export; convert it with"
                    + " 'optimum-cli export onnx --model " + root + " OUT' and open OUT");
        }
        Path unet = requireFile(root, "unet/model.onnx");
        Path textEncoder = requireFile(root, "text_encoder/model.onnx");
        Path vaeDecoder = requireFile(root, "vae_decoder/model.onnx");
        Path vaeEncoder = root.resolve("vae_encoder/model.onnx");
        if (!Files.isRegularFile(vaeEncoder)) {
            vaeEncoder = null;
        }
        Path tokenizer = root.resolve("tokenizer");
        requireFile(root, "tokenizer/vocab.json");
        requireFile(root, "tokenizer/merges.txt");
        // SDXL: model_index.json names a second text encoder, or the folder has one (Optimum's layout).
        boolean xl = modelIndex != null ? names(modelIndex, "text_encoder_2")
                : Files.isDirectory(root.resolve("text_encoder_2"));
        Path textEncoder2 = null;
        Path tokenizer2 = null;
        if (xl) {
            textEncoder2 = requireXlFile(root, "text_encoder_2/model.onnx");
            requireXlFile(root, "tokenizer_2/vocab.json");
            requireXlFile(root, "tokenizer_2/merges.txt");
            tokenizer2 = root.resolve("tokenizer_2");
        }
        boolean forceZeros = modelIndex == null || !modelIndex.has("force_zeros_for_empty_prompt")
                || modelIndex.get("force_zeros_for_empty_prompt").isJsonNull()
                || modelIndex.get("force_zeros_for_empty_prompt").getAsBoolean();
        Path schedulerConfig = requireFile(root, "scheduler/scheduler_config.json");
        JsonObject scheduler = readJson(schedulerConfig);
        String schedulerClass = string(scheduler, "_class_name", "PNDMScheduler");
        String prediction = string(scheduler, "prediction_type", "epsilon");

        JsonObject unetConfig = optionalJson(root.resolve("unet/config.json"));
        JsonObject vaeConfig = optionalJson(root.resolve("vae_decoder/config.json"));
        if (vaeConfig == null) {
            vaeConfig = optionalJson(root.resolve("vae_encoder/config.json"));
        }
        if (vaeConfig == null) {
            vaeConfig = optionalJson(root.resolve("vae/config.json"));
        }
        double scaling = vaeConfig != null && vaeConfig.has("scaling_factor")
                && !vaeConfig.get("scaling_factor").isJsonNull()
                ? vaeConfig.get("scaling_factor").getAsDouble() : DEFAULT_SCALING_FACTOR;
        int vaeScale = 8;
        if (vaeConfig != null && vaeConfig.has("block_out_channels")) {
            vaeScale = 1 << (vaeConfig.getAsJsonArray("block_out_channels").size() - 1);
        }
        int nativeSize = "v_prediction".equals(prediction) ? 768 : 512;
        if (unetConfig != null && unetConfig.has("sample_size") && unetConfig.get("sample_size").isJsonPrimitive()) {
            nativeSize = unetConfig.get("sample_size").getAsInt() * vaeScale;
        } else if (vaeConfig != null && vaeConfig.has("sample_size")
                && vaeConfig.get("sample_size").isJsonPrimitive()) {
            nativeSize = vaeConfig.get("sample_size").getAsInt();
        }
        int multiple = vaeScale;
        boolean known = false;
        if (unetConfig != null && unetConfig.has("block_out_channels")) {
            multiple = vaeScale * (1 << (unetConfig.getAsJsonArray("block_out_channels").size() - 1));
            known = true;
        }
        int timeCondProjDim = unetConfig != null && unetConfig.has("time_cond_proj_dim")
                && !unetConfig.get("time_cond_proj_dim").isJsonNull()
                ? unetConfig.get("time_cond_proj_dim").getAsInt() : -1;
        return new ModelFolder(root, textEncoder, unet, vaeDecoder, vaeEncoder, tokenizer, schedulerConfig,
                schedulerClass, scaling, nativeSize, nativeSize, multiple, known, prediction, timeCondProjDim,
                textEncoder2, tokenizer2, xl && forceZeros);
    }

    /** Whether this is an SDXL model (two text encoders, pooled text embeddings and time ids for the UNet). */
    public boolean isXl() {
        return textEncoder2 != null;
    }

    /**
     * Whether the scheduler config asks for few-step sampling as SDXL-Turbo ships it ({@code timestep_spacing}
     * "trailing" on an SDXL model), so front ends default to {@link #TURBO_STEPS} steps without guidance.
     */
    public boolean isTurbo() {
        if (!isXl()) {
            return false;
        }
        JsonElement spacing = readJson(schedulerConfig).get("timestep_spacing");
        return spacing != null && spacing.isJsonPrimitive() && "trailing".equals(spacing.getAsString());
    }

    /** The step count a run on this model takes unless told otherwise. */
    public int defaultSteps() {
        return isTurbo() ? TURBO_STEPS : GenerationRequest.DEFAULT_STEPS;
    }

    /** The guidance scale a run on this model takes unless told otherwise (0 for Turbo, which was distilled without). */
    public double defaultGuidance() {
        return isTurbo() ? 0.0 : GenerationRequest.DEFAULT_GUIDANCE;
    }

    /** Whether the folder can do img2img (it has a VAE encoder). */
    public boolean hasVaeEncoder() {
        return vaeEncoder != null;
    }

    /** The folder's name, for titles and records. */
    public String name() {
        return root.getFileName() == null ? root.toString() : root.getFileName().toString();
    }

    /**
     * Checks an image size against what the model can take.
     *
     * @throws IllegalArgumentException saying which multiple is needed
     */
    public void checkSize(int width, int height) {
        if (width < 8 || height < 8) {
            throw new IllegalArgumentException("width and height must be at least 8 pixels, were " + width + "×"
                    + height);
        }
        if (width % sizeMultiple != 0 || height % sizeMultiple != 0) {
            String why = sizeMultipleKnown ? "this model's UNet halves the latents "
                    + Integer.numberOfTrailingZeros(sizeMultiple / 8) + " times"
                    : "the VAE works on 8×8 pixel blocks";
            throw new IllegalArgumentException("width and height must be multiples of " + sizeMultiple + " (" + why
                    + "), were " + width + "×" + height + "; try " + roundTo(width) + "×" + roundTo(height));
        }
    }

    private int roundTo(int side) {
        return Math.max(sizeMultiple, Math.round(side / (float) sizeMultiple) * sizeMultiple);
    }

    /** Estimated bytes the networks take once loaded: their files, external weights included. */
    public long weightBytes() {
        long total = 0;
        for (Path file : new Path[] {textEncoder, textEncoder2, unet, vaeDecoder, vaeEncoder}) {
            if (file == null) {
                continue;
            }
            try (var entries = Files.list(file.getParent())) {
                total += entries.filter(Files::isRegularFile).mapToLong(p -> {
                    try {
                        return Files.size(p);
                    } catch (IOException e) {
                        return 0L;
                    }
                }).sum();
            } catch (IOException e) {
                // An unreadable folder is reported when the network loads; the estimate just omits it.
            }
        }
        return total;
    }

    private static Path requireFile(Path root, String relative) {
        Path file = root.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new GenAiException("Stable Diffusion model " + root + " is incomplete: " + relative + " is missing");
        }
        return file;
    }

    private static Path requireXlFile(Path root, String relative) {
        Path file = root.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new GenAiException("SDXL model " + root + " is incomplete: " + relative + " is missing (SDXL needs"
                    + " both text encoders, text_encoder/ and text_encoder_2/, and both tokenizers)");
        }
        return file;
    }

    /** Whether a model_index.json entry names a component (["library", "Class"] with a non-null class). */
    private static boolean names(JsonObject index, String key) {
        JsonElement entry = index.get(key);
        if (entry == null || entry.isJsonNull()) {
            return false;
        }
        if (entry.isJsonArray()) {
            var array = entry.getAsJsonArray();
            return array.size() == 2 && !array.get(1).isJsonNull();
        }
        return true;
    }

    private static JsonObject optionalJson(Path file) {
        return Files.isRegularFile(file) ? readJson(file) : null;
    }

    /** Reads a JSON object, naming the file when it is unreadable or not an object. */
    static JsonObject readJson(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonElement element = JsonParser.parseReader(reader);
            if (!element.isJsonObject()) {
                throw new GenAiException(file + " is broken: expected a JSON object");
            }
            return element.getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new GenAiException(file + " is broken: " + JsonProblems.describe(e), e);
        }
    }

    private static String string(JsonObject json, String key, String fallback) {
        JsonElement value = json.get(key);
        return value == null || value.isJsonNull() ? fallback : value.getAsString();
    }
}
