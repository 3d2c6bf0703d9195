package org.ijgenai.core.diffusion;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.ijgenai.core.diffusion.network.TextEncoder;
import org.ijgenai.core.diffusion.network.UnetConditioning;
import org.ijgenai.core.tensor.Tensor;
import org.ijgenai.core.text.ChunkedPrompt;
import org.ijgenai.core.text.ClipTokenizer;
import org.ijgenai.core.text.Emphasis;
import org.ijgenai.core.text.PromptChunk;
import org.ijgenai.core.text.PromptChunker;

/**
 * Stable Diffusion 1.x/2.x prompt encoding: each prompt cut into 77-token chunks as A1111 cuts them
 * ({@link PromptChunker}), each chunk through the CLIP text encoder, its hidden states weighted by the request's
 * {@link Emphasis}, the chunks concatenated along the sequence axis; repeated per image and preceded under guidance
 * by the negative prompt's (or ""'s), padded with empty chunks to the same length. A plain prompt of at most 75
 * tokens is one chunk whose ids are diffusers' {@code _encode_prompt} ids, left unweighted, so it encodes exactly
 * as diffusers' ONNX pipelines do.
 */
public final class ClipPromptEncoder implements PromptEncoder {

    private final PromptChunker chunker;
    private final TextEncoder encoder;
    private final int maxChunks;
    private final Consumer<String> warnings;

    /** An encoder for a UNet that takes prompts of any number of chunks. */
    public ClipPromptEncoder(ClipTokenizer tokenizer, TextEncoder encoder) {
        this(tokenizer, encoder, -1, w -> {});
    }

    /**
     * An encoder for a UNet whose {@code encoder_hidden_states} sequence length is {@code unetSequence} (−1 when
     * the axis is dynamic); longer prompts are cut to what fits, with a warning to {@code warnings}.
     */
    public ClipPromptEncoder(ClipTokenizer tokenizer, TextEncoder encoder, int unetSequence, Consumer<String> warnings) {
        this.chunker = new PromptChunker(tokenizer);
        this.encoder = encoder;
        this.maxChunks = unetSequence <= 0 ? Integer.MAX_VALUE : Math.max(1, unetSequence / tokenizer.maxLength());
        this.warnings = warnings;
    }

    @Override
    public UnetConditioning encode(GenerationRequest request, boolean guided) {
        return encode(request, guided, 1);
    }

    @Override
    public int chunks(GenerationRequest request, boolean guided) {
        return chunked(request, guided).chunks;
    }

    /** The request's prompts and negative cut into chunks, and the chunk count they are padded to. */
    private record Chunked(List<ChunkedPrompt> positives, ChunkedPrompt negative, int chunks) {}

    private Chunked chunked(GenerationRequest request, boolean guided) {
        Emphasis emphasis = request.emphasis();
        List<ChunkedPrompt> positives = new ArrayList<>();
        for (String prompt : request.prompts()) {
            positives.add(chunker.chunk(prompt, emphasis));
        }
        String negativeText = request.negativePrompt() == null ? "" : request.negativePrompt();
        ChunkedPrompt negative = guided ? chunker.chunk(negativeText, emphasis) : null;
        int chunks = 1;
        for (ChunkedPrompt p : positives) {
            chunks = Math.max(chunks, p.chunks().size());
        }
        if (negative != null) {
            chunks = Math.max(chunks, negative.chunks().size());
        }
        return new Chunked(positives, negative, chunks);
    }

    @Override
    public UnetConditioning encode(GenerationRequest request, boolean guided, int minChunks) {
        Emphasis emphasis = request.emphasis();
        Chunked chunked = chunked(request, guided);
        List<ChunkedPrompt> positives = chunked.positives;
        ChunkedPrompt negative = chunked.negative;
        int chunks = Math.max(chunked.chunks, minChunks);
        if (chunks > maxChunks) {
            warnings.accept("the prompt needs " + chunks + " chunks of " + chunker.chunkLength()
                    + " tokens but this UNet export takes a fixed text length of " + maxChunks * (chunker.chunkLength()
                    + 2) + " (its encoder_hidden_states sequence axis is not dynamic): only the first "
                    + maxChunks * chunker.chunkLength() + " tokens are used");
            chunks = maxChunks;
        }
        int count = positives.size();
        int times = request.imagesPerPrompt();
        float[] pos = encodeRows(positives, chunks, emphasis);
        int dim = pos.length / (count * chunks * chunker.tokenizer().maxLength());
        long length = (long) chunks * chunker.tokenizer().maxLength();
        float[] posRepeated = repeat(pos, count, times);
        int batch = request.batchSize();
        if (!guided) {
            return UnetConditioning.ofText(Tensor.ofFloats(posRepeated, batch, length, dim));
        }
        List<ChunkedPrompt> negatives = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            negatives.add(negative);
        }
        float[] neg = repeat(encodeRows(negatives, chunks, emphasis), count, times);
        return UnetConditioning.ofText(Tensor.ofFloats(concat(neg, posRepeated), 2L * batch, length, dim));
    }

    /**
     * The weighted hidden states of several prompts, [rows, chunks·77, D] flattened: chunk k of every row goes
     * through the text encoder as one batch, as diffusers batches prompts; rows with fewer chunks get A1111's empty
     * chunk (bos, then eos/padding, all weights 1).
     */
    private float[] encodeRows(List<ChunkedPrompt> rows, int chunks, Emphasis emphasis) {
        int positions = chunker.tokenizer().maxLength();
        float[] out = null;
        float[] empty = null;
        int dim = 0;
        for (int k = 0; k < chunks; k++) {
            int[][] ids = new int[rows.size()][];
            List<PromptChunk> batch = new ArrayList<>();
            for (int r = 0; r < rows.size(); r++) {
                List<PromptChunk> own = rows.get(r).chunks();
                PromptChunk chunk = k < own.size() ? own.get(k) : emptyChunk();
                batch.add(chunk);
                ids[r] = chunk.ids();
            }
            Tensor hidden = encoder.encode(ids);
            float[] z = hidden.floats();
            if (out == null) {
                dim = (int) hidden.dim(2);
                out = new float[rows.size() * chunks * positions * dim];
            }
            int rowSize = positions * dim;
            for (int r = 0; r < rows.size(); r++) {
                float[] row = new float[rowSize];
                System.arraycopy(z, r * rowSize, row, 0, rowSize);
                PromptChunk chunk = batch.get(r);
                if (emphasis.applies() && !chunk.unweighted()) {
                    if (emphasis == Emphasis.COMFY && empty == null) {
                        empty = encoder.encode(new int[][] {emptyChunk().ids()}).floats();
                    }
                    row = PromptWeighting.apply(emphasis, row, chunk.weights(), dim, empty);
                }
                System.arraycopy(row, 0, out, (r * chunks + k) * rowSize, rowSize);
            }
        }
        return out;
    }

    private PromptChunk emptyChunk() {
        return chunker.chunk("", Emphasis.NONE).chunks().get(0);
    }

    /** numpy's {@code np.repeat(x, times, axis=0)}: each row repeated consecutively. */
    static float[] repeat(float[] rows, int count, int times) {
        if (times == 1) {
            return rows;
        }
        int rowSize = rows.length / count;
        float[] out = new float[rows.length * times];
        for (int r = 0; r < count; r++) {
            for (int k = 0; k < times; k++) {
                System.arraycopy(rows, r * rowSize, out, (r * times + k) * rowSize, rowSize);
            }
        }
        return out;
    }

    /** The negative half followed by the positive half: diffusers' {@code torch.cat([negative, positive])}. */
    static float[] concat(float[] first, float[] second) {
        float[] both = new float[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
