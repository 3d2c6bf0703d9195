package org.ijgenai.core.diffusion;

import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import org.ijgenai.core.diffusion.network.TextEncoder;
import org.ijgenai.core.diffusion.network.UnetConditioning;
import org.ijgenai.core.tensor.Tensor;
import org.ijgenai.core.text.ChunkedPrompt;
import org.ijgenai.core.text.ClipTokenizer;
import org.ijgenai.core.text.Emphasis;
import org.ijgenai.core.text.PromptChunker;

/**
 * Stable Diffusion 1.x/2.x prompt encoding: each prompt cut into 77-token chunks as A1111 cuts them
 * ({@link PromptChunker}), each chunk through the CLIP text encoder, its hidden states weighted by the request's
 * {@link Emphasis}, the chunks concatenated along the sequence axis; repeated per image and preceded under guidance
 * by the negative prompt's (or ""'s), padded with empty chunks to the same length. A plain prompt of at most 75
 * tokens is one chunk whose ids are diffusers' {@code _encode_prompt} ids, left unweighted, so it encodes exactly
 * as diffusers' ONNX pipelines do. The chunk loop is {@link ChunkedTextEncoding}'s, which SDXL runs per encoder.
 */
public final class ClipPromptEncoder implements PromptEncoder {

    private final ChunkedTextEncoding text;
    private final int unetSequence;
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
        this.text = new ChunkedTextEncoding(new PromptChunker(tokenizer),
                ids -> new ChunkedTextEncoding.ChunkOutput(encoder.encode(ids), null));
        this.unetSequence = unetSequence;
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
        List<ChunkedPrompt> positives = text.chunk(request.prompts(), emphasis);
        String negativeText = request.negativePrompt() == null ? "" : request.negativePrompt();
        ChunkedPrompt negative = guided ? text.chunker().chunk(negativeText, emphasis) : null;
        int chunks = ChunkedTextEncoding.chunkCount(positives);
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
        int chunks = ChunkedTextEncoding.fit(Math.max(chunked.chunks, minChunks), unetSequence, text.chunker(),
                warnings);
        int count = positives.size();
        int times = request.imagesPerPrompt();
        ChunkedTextEncoding.Rows pos = text.encode(positives, chunks, emphasis);
        float[] posRepeated = repeat(pos.hidden(), count, times);
        int batch = request.batchSize();
        if (!guided) {
            return UnetConditioning.ofText(Tensor.ofFloats(posRepeated, batch, pos.length(), pos.dim()));
        }
        float[] neg = repeat(text.encode(Collections.nCopies(count, chunked.negative), chunks, emphasis).hidden(), count,
                times);
        return UnetConditioning.ofText(Tensor.ofFloats(concat(neg, posRepeated), 2L * batch, pos.length(),
                pos.dim()));
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
