package org.ijgenai.core.onnx;

import java.util.Set;

/**
 * One attention layer found in an ONNX graph: the Softmax that turns the query·key scores into attention
 * probabilities, between the scores' MatMul and the MatMul with the values.
 *
 * @param layer the layer's name, from the Softmax node's scoped name without its last part, dots for slashes
 *     (torch exports name it {@code /down_blocks.0/attentions.0/transformer_blocks.0/attn2/Softmax}, so the layer is
 *     {@code down_blocks.0.attentions.0.transformer_blocks.0.attn2}); the node name itself when it has no scope
 * @param softmaxNode the Softmax node's name
 * @param probabilities the name of the Softmax's output tensor: [batch·heads, queries, keys] or
 *     [batch, heads, queries, keys], batch-major either way
 * @param keyInputs the graph inputs that the keys are computed from: {@code encoder_hidden_states} alone for a
 *     UNet's cross-attention, the sample (and the text) for its self-attention, {@code input_ids} in a text encoder
 */
public record AttentionSite(String layer, String softmaxNode, String probabilities, Set<String> keyInputs) {

    /** Whether the keys come from {@code input} and from no other graph input (cross-attention to that input). */
    public boolean keysOnlyFrom(String input) {
        return keyInputs.size() == 1 && keyInputs.contains(input);
    }
}
