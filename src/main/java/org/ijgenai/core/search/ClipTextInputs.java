package org.ijgenai.core.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.onnx.TensorSpec;
import org.ijgenai.core.tensor.Tensor;
import org.ijgenai.core.text.ClipTokenizer;
import org.ijgenai.core.text.TextCleanup;
import org.ijgenai.core.text.TokenEncoding;

/**
 * Turns texts into the {@code input_ids} and {@code attention_mask} of a CLIP text network with the project's
 * {@link ClipTokenizer}: bos, tokens, eos, then the pad token up to the tokenizer's {@code model_max_length}
 * (77 for CLIP), as transformers' {@code padding="max_length", truncation=True} gives.
 *
 * <p>A folder with {@code tokenizer.json} is a transformers 5 / transformers.js model, whose tokenizer is the
 * {@code tokenizers}-backed one, so its clean-up is used; otherwise that of the Python tokenizer.
 */
public final class ClipTextInputs {

    /** Token ids and mask for a batch of texts, both {@code [batch, length]} int64. */
    public record Batch(Tensor inputIds, Tensor attentionMask) {
    }

    private final ClipTokenizer tokenizer;
    private final int maxPositions;

    private ClipTextInputs(ClipTokenizer tokenizer, int maxPositions) {
        this.tokenizer = tokenizer;
        this.maxPositions = maxPositions;
    }

    /**
     * Reads the tokenizer files of a model folder.
     *
     * @param maxPositions the text network's {@code max_position_embeddings}, or −1 when unknown: sequences are
     *     never padded beyond it (CLIP pools at the end token under a causal mask, so padding length does not
     *     change the embedding)
     */
    static ClipTextInputs open(Path dir, int maxPositions) {
        TextCleanup cleanup = Files.isRegularFile(dir.resolve("tokenizer.json")) ? TextCleanup.FAST
                : TextCleanup.SLOW_WITHOUT_FTFY;
        return new ClipTextInputs(ClipTokenizer.fromDirectory(TokenizerJsonFiles.tokenizerFolder(dir), cleanup),
                maxPositions);
    }

    /** Reads the tokenizer files of a model folder whose text network length is unknown. */
    static ClipTextInputs open(Path dir) {
        return open(dir, -1);
    }

    /** The tokenizer. */
    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Encodes texts for a network whose {@code input_ids} input is {@code spec}: a network with a fixed sequence
     * length gets exactly that many ids (padded or cut, eos kept last).
     */
    public Batch encode(List<String> texts, TensorSpec spec) {
        int length = spec.rank() == 2 && spec.dim(1) > 0 ? (int) spec.dim(1)
                : maxPositions > 0 ? Math.min(maxPositions, tokenizer.maxLength()) : tokenizer.maxLength();
        long[] ids = new long[texts.size() * length];
        long[] mask = new long[ids.length];
        for (int t = 0; t < texts.size(); t++) {
            TokenEncoding e = tokenizer.encode(texts.get(t));
            int[] tokenIds = e.ids();
            int[] tokenMask = e.attentionMask();
            int used = Math.min(e.tokenCount(), length);
            for (int i = 0; i < length; i++) {
                boolean inText = i < used;
                ids[t * length + i] = inText ? tokenIds[i] : tokenizer.padId();
                mask[t * length + i] = inText ? tokenMask[i] : 0;
            }
            if (e.tokenCount() > length) {
                ids[t * length + length - 1] = tokenizer.eosId();
            }
        }
        if (length < 2) {
            throw new GenAiException("CLIP text network declares a sequence length of " + length);
        }
        return new Batch(Tensor.ofLongs(ids, texts.size(), length), Tensor.ofLongs(mask, texts.size(), length));
    }
}
