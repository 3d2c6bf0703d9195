package org.ijgenai.core.diffusion;

import org.ijgenai.core.diffusion.network.UnetConditioning;

/**
 * The "encode prompt" part of a pipeline: turns a request's prompts (and, under classifier-free guidance, its
 * negative prompt) into the conditioning of every UNet evaluation, negative half first as diffusers orders it.
 */
public interface PromptEncoder {

    /**
     * Encodes the prompts of a request.
     *
     * @param guided whether the UNet batch is doubled for classifier-free guidance (negative embeddings first)
     * @return the conditioning for a UNet batch of {@code request.batchSize()}, or twice that when guided
     */
    UnetConditioning encode(GenerationRequest request, boolean guided);

    /**
     * The number of 77-token chunks the request's prompts (and, when guided, its negative prompt) take, the length
     * {@link #encode} pads them to; 1 for an encoder that does not chunk.
     */
    default int chunks(GenerationRequest request, boolean guided) {
        return 1;
    }

    /**
     * Encodes with at least {@code minChunks} chunks, padding with A1111's empty chunk (so that two prompts of
     * different lengths can be interpolated); an encoder that does not chunk ignores it.
     */
    default UnetConditioning encode(GenerationRequest request, boolean guided, int minChunks) {
        return encode(request, guided);
    }
}
