package org.ijgenai.core.diffusion.network;

import org.ijgenai.core.onnx.OnnxModel;
import org.ijgenai.core.onnx.SessionSettings;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.tensor.Tensor;

/**
 * The CLIP text encoder of a Stable Diffusion model: token ids [B, 77] in, hidden states [B, 77, D] out. The ids are
 * fed as int32 or int64, whichever the export declares. For SDXL it also gives the penultimate layer's hidden states
 * ({@code hidden_states.N} outputs, as Optimum exports them) and the pooled, projected {@code text_embeds}.
 */
public final class TextEncoder implements AutoCloseable {

    private static final String HIDDEN_STATES = "hidden_states.";
    private static final String TEXT_EMBEDS = "text_embeds";

    private final OnnxModel model;
    private final String idsInput;
    private final String hiddenOutput;

    private TextEncoder(OnnxModel model) {
        this.model = model;
        this.idsInput = model.inputs().containsKey("input_ids") ? "input_ids"
                : model.inputs().keySet().iterator().next();
        // diffusers takes output [0]; exports name it last_hidden_state.
        this.hiddenOutput = model.outputs().containsKey("last_hidden_state") ? "last_hidden_state"
                : model.outputs().keySet().iterator().next();
        if (model.inputs().size() != 1) {
            for (String name : model.inputs().keySet()) {
                if (!name.equals(idsInput) && !name.equals("attention_mask")) {
                    throw new GenAiException(model.file() + " is not a CLIP text encoder: unexpected input '" + name
                            + "'; inputs are " + model.inputs().values());
                }
            }
        }
    }

    /**
     * What SDXL takes from one text encoder.
     *
     * @param penultimate the hidden states of the layer before the last, diffusers' {@code hidden_states[-2]},
     *     [rows, length, D]
     * @param pooled the projected pooled embedding {@code text_embeds} [rows, P], or null when the export has none
     */
    public record LayerOutputs(Tensor penultimate, Tensor pooled) {}

    /** Loads {@code text_encoder/model.onnx}. */
    public static TextEncoder load(Path onnxFile, SessionSettings settings) {
        return new TextEncoder(OnnxModel.load(onnxFile, settings.forNetwork(SessionSettings.Network.TEXT_ENCODER)));
    }

    /**
     * Encodes rows of token ids.
     *
     * @param ids one row of padded ids per prompt, all of the same length
     * @return the hidden states, float32 [rows, length, D]
     */
    public Tensor encode(int[][] ids) {
        int length = ids[0].length;
        Tensor hidden = model.run(feeds(ids), "text encoder").get(hiddenOutput);
        if (hidden == null || hidden.rank() != 3) {
            throw new GenAiException(model.file() + ": expected hidden states [B, " + length + ", D] as '"
                    + hiddenOutput + "', got " + hidden);
        }
        return hidden;
    }

    /** The feeds for rows of ids: {@code input_ids} (the session converts to its int32 or int64) and any mask. */
    private Map<String, Tensor> feeds(int[][] ids) {
        int rows = ids.length;
        int length = ids[0].length;
        int[] flat = new int[rows * length];
        long[] mask = new long[rows * length];
        for (int r = 0; r < rows; r++) {
            if (ids[r].length != length) {
                throw new IllegalArgumentException("token rows differ in length: " + ids[r].length + " vs " + length);
            }
            System.arraycopy(ids[r], 0, flat, r * length, length);
        }
        java.util.Arrays.fill(mask, 1L);
        return model.inputs().containsKey("attention_mask")
                ? Map.of(idsInput, Tensor.ofInts(flat, rows, length), "attention_mask", Tensor.ofLongs(mask, rows, length))
                : Map.of(idsInput, Tensor.ofInts(flat, rows, length));
    }

    /**
     * Encodes rows of token ids for SDXL: the penultimate hidden states and, where the export has it, the pooled
     * {@code text_embeds}.
     *
     * @throws GenAiException naming the file when the export does not expose the penultimate layer
     */
    public LayerOutputs encodeLayers(int[][] ids) {
        String penultimate = penultimateOutput();
        Map<String, Tensor> outputs = model.run(feeds(ids), "text encoder");
        Tensor hidden = outputs.get(penultimate);
        if (hidden == null || hidden.rank() != 3) {
            throw new GenAiException(model.file() + ": expected hidden states [B, " + ids[0].length + ", D] as '"
                    + penultimate + "', got " + hidden);
        }
        Tensor pooled = outputs.get(TEXT_EMBEDS);
        if (pooled != null && pooled.rank() != 2) {
            throw new GenAiException(model.file() + ": expected the pooled embedding [B, P] as '" + TEXT_EMBEDS
                    + "', got " + pooled);
        }
        return new LayerOutputs(hidden, pooled);
    }

    /** Whether the export outputs the projected pooled embedding {@code text_embeds} (CLIPTextModelWithProjection). */
    public boolean hasPooledOutput() {
        return model.outputs().containsKey(TEXT_EMBEDS);
    }

    /**
     * The output holding the penultimate layer's hidden states: {@code hidden_states.(L−1)} for the L layers of
     * {@code config.json}'s {@code num_hidden_layers}, else the one before the highest {@code hidden_states.N}
     * (index 0 is the embeddings, so N layers give N + 1 outputs).
     *
     * @throws GenAiException naming the file and what to export when it is absent
     */
    public String penultimateOutput() {
        int highest = -1;
        for (String name : model.outputs().keySet()) {
            if (name.startsWith(HIDDEN_STATES)) {
                try {
                    highest = Math.max(highest, Integer.parseInt(name.substring(HIDDEN_STATES.length())));
                } catch (NumberFormatException e) {
                    // Not an indexed hidden-state output; other names are ignored.
                }
            }
        }
        int layers = configuredLayers();
        int index = layers > 0 ? layers - 1 : highest - 1;
        String name = HIDDEN_STATES + index;
        if (index < 0 || !model.outputs().containsKey(name)) {
            throw new GenAiException(model.file() + " does not output the penultimate layer's hidden states"
                    + (index >= 0 ? " ('" + name + "')" : " (no hidden_states.N outputs)")
                    + ", which SDXL conditions on; its outputs are " + model.outputs().keySet()
                    + ". Export it with Optimum (optimum-cli export onnx), which adds every hidden_states.N output");
        }
        return name;
    }

    /** {@code num_hidden_layers} from the {@code config.json} beside the model, or −1 when there is none. */
    private int configuredLayers() {
        Path config = model.file().resolveSibling("config.json");
        if (!Files.isRegularFile(config)) {
            return -1;
        }
        try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
            JsonElement root = JsonParser.parseReader(reader);
            JsonElement layers = root.isJsonObject() ? root.getAsJsonObject().get("num_hidden_layers") : null;
            return layers != null && layers.isJsonPrimitive() ? layers.getAsInt() : -1;
        } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new GenAiException(config + " is broken: " + e.getMessage(), e);
        }
    }

    /** The file the encoder was loaded from. */
    public Path file() {
        return model.file();
    }

    @Override
    public void close() {
        model.close();
    }
}
