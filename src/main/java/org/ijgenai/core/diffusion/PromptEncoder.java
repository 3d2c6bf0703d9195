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
}
