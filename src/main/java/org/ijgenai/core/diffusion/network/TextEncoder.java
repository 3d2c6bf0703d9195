package org.ijgenai.core.diffusion.network;

import org.ijgenai.core.onnx.OnnxModel;
import org.ijgenai.core.onnx.SessionSettings;

import java.nio.file.Path;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.tensor.Tensor;

/**
 * The CLIP text encoder of a Stable Diffusion model: token ids [B, 77] in, hidden states [B, 77, D] out. The ids are
 * fed as int32 or int64, whichever the export declares.
 */
public final class TextEncoder implements AutoCloseable {

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

    /** Loads {@code text_encoder/model.onnx}. */
    public static TextEncoder load(Path onnxFile, SessionSettings settings) {
        return new TextEncoder(OnnxModel.load(onnxFile, settings));
    }

    /**
     * Encodes rows of token ids.
     *
     * @param ids one row of padded ids per prompt, all of the same length
     * @return the hidden states, float32 [rows, length, D]
     */
    public Tensor encode(int[][] ids) {
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
        Map<String, Tensor> feeds = model.inputs().containsKey("attention_mask")
                ? Map.of(idsInput, Tensor.ofInts(flat, rows, length), "attention_mask", Tensor.ofLongs(mask, rows, length))
                : Map.of(idsInput, Tensor.ofInts(flat, rows, length));
        Tensor hidden = model.run(feeds, "text encoder").get(hiddenOutput);
        if (hidden == null || hidden.rank() != 3) {
            throw new GenAiException(model.file() + ": expected hidden states [B, " + length + ", D] as '"
                    + hiddenOutput + "', got " + hidden);
        }
        return hidden;
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
