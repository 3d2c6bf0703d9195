package org.ijgenai.core.diffusion;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.ijgenai.core.tensor.Tensor;
import org.ijgenai.core.text.ChunkedPrompt;
import org.ijgenai.core.text.Emphasis;
import org.ijgenai.core.text.PromptChunk;
import org.ijgenai.core.text.PromptChunker;

/**
 * One text encoder's part of A1111's {@code FrozenCLIPEmbedderWithCustomWordsBase.forward}: prompts cut into
 * chunks with that encoder's own tokenizer, chunk k of every row through the encoder as one batch, each row's
 * hidden states weighted by the emphasis ({@code process_tokens}), the chunks concatenated along the sequence axis,
 * and the pooled output of the first chunk kept from before the weighting ({@code zs[0].pooled}). Rows with fewer
 * chunks get A1111's empty chunk (bos, then eos and padding, all weights 1). SD 1.x/2.x run it once, SDXL once per
 * text encoder, so that both share one loop.
 */
final class ChunkedTextEncoding {

    /**
     * One text encoder's outputs for a batch of chunks.
     *
     * @param hidden the hidden states the UNet conditions on, [rows, 77, D]
     * @param pooled the pooled embedding [rows, P], or null when the encoder has none (or it is not wanted)
     */
    record ChunkOutput(Tensor hidden, Tensor pooled) {}

    /** Runs one text encoder over a batch of token-id rows of equal length. */
    @FunctionalInterface
    interface ChunkEncoder {
        /** The encoder's outputs for {@code ids} [rows][77]. */
        ChunkOutput encode(int[][] ids);
    }

    /**
     * Encoded rows.
     *
     * @param hidden the weighted hidden states, [rows, chunks·77, dim] flattened
     * @param length the sequence length, chunks·77
     * @param dim the feature width
     * @param pooled each row's first-chunk pooled embedding, unweighted, [rows, pooledDim]; null when the encoder has
     *     none
     * @param pooledDim the pooled width, 0 without one
     */
    record Rows(float[] hidden, int length, int dim, float[] pooled, int pooledDim) {}

    private final PromptChunker chunker;
    private final ChunkEncoder encoder;
    private final PromptChunk emptyChunk;

    /** The loop over one tokenizer's chunker and its text encoder. */
    ChunkedTextEncoding(PromptChunker chunker, ChunkEncoder encoder) {
        this.chunker = chunker;
        this.encoder = encoder;
        this.emptyChunk = chunker.chunk("", Emphasis.NONE).chunks().get(0);
    }

    /** The chunker of this encoder's tokenizer. */
    PromptChunker chunker() {
        return chunker;
    }

    /** Each text cut into chunks with this encoder's tokenizer. */
    List<ChunkedPrompt> chunk(List<String> texts, Emphasis emphasis) {
        List<ChunkedPrompt> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(chunker.chunk(text, emphasis));
        }
        return out;
    }

    /** The most chunks any of the rows takes (at least 1). */
    static int chunkCount(List<ChunkedPrompt> rows) {
        int chunks = 1;
        for (ChunkedPrompt p : rows) {
            chunks = Math.max(chunks, p.chunks().size());
        }
        return chunks;
    }

    /**
     * The chunks a UNet export takes: all of them when its {@code encoder_hidden_states} sequence axis is dynamic
     * ({@code unetSequence} ≤ 0), else as many 77-position chunks as fit, with a warning when the prompt needed more.
     */
    static int fit(int chunks, int unetSequence, PromptChunker chunker, Consumer<String> warnings) {
        int positions = chunker.tokenizer().maxLength();
        int maxChunks = unetSequence <= 0 ? Integer.MAX_VALUE : Math.max(1, unetSequence / positions);
        if (chunks <= maxChunks) {
            return chunks;
        }
        warnings.accept("the prompt needs " + chunks + " chunks of " + chunker.chunkLength()
                + " tokens but this UNet export takes a fixed text length of " + maxChunks * positions
                + " (its encoder_hidden_states sequence axis is not dynamic): only the first "
                + maxChunks * chunker.chunkLength() + " tokens are used");
        return maxChunks;
    }

    /**
     * The weighted hidden states of the rows, their first {@code chunks} chunks (padded with the empty chunk), and
     * the unweighted pooled output of each row's first chunk.
     */
    Rows encode(List<ChunkedPrompt> rows, int chunks, Emphasis emphasis) {
        int positions = chunker.tokenizer().maxLength();
        float[] out = null;
        float[] pooled = null;
        float[] empty = null;
        int dim = 0;
        int pooledDim = 0;
        for (int k = 0; k < chunks; k++) {
            int[][] ids = new int[rows.size()][];
            List<PromptChunk> batch = new ArrayList<>();
            for (int r = 0; r < rows.size(); r++) {
                List<PromptChunk> own = rows.get(r).chunks();
                PromptChunk chunk = k < own.size() ? own.get(k) : emptyChunk();
                batch.add(chunk);
                ids[r] = chunk.ids();
            }
            ChunkOutput output = encoder.encode(ids);
            Tensor hidden = output.hidden();
            float[] z = hidden.floats();
            if (out == null) {
                dim = (int) hidden.dim(2);
                out = new float[rows.size() * chunks * positions * dim];
            }
            if (k == 0 && output.pooled() != null) {
                // A1111 returns zs[0].pooled, which process_tokens took before the emphasis touched z.
                pooled = output.pooled().floats();
                pooledDim = (int) output.pooled().dim(1);
            }
            int rowSize = positions * dim;
            for (int r = 0; r < rows.size(); r++) {
                float[] row = new float[rowSize];
                System.arraycopy(z, r * rowSize, row, 0, rowSize);
                PromptChunk chunk = batch.get(r);
                if (emphasis.applies() && !chunk.unweighted()) {
                    if (emphasis == Emphasis.COMFY && empty == null) {
                        empty = encoder.encode(new int[][] {emptyChunk().ids()}).hidden().floats();
                    }
                    row = PromptWeighting.apply(emphasis, row, chunk.weights(), dim, empty);
                }
                System.arraycopy(row, 0, out, (r * chunks + k) * rowSize, rowSize);
            }
        }
        return new Rows(out, chunks * positions, dim, pooled, pooledDim);
    }

    /** A1111's {@code empty_chunk} for this tokenizer, with its padding id after the first eos. */
    PromptChunk emptyChunk() {
        return emptyChunk;
    }
}
