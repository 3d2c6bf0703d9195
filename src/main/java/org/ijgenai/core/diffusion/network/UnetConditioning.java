package org.ijgenai.core.diffusion.network;

import java.util.Map;

import org.ijgenai.core.tensor.Tensor;

/**
 * Everything besides the sample and the timestep that a UNet evaluation is conditioned on: the text embeddings,
 * the LCM guidance embedding, and any further named inputs a model family adds (SDXL's {@code text_embeds} and
 * {@code time_ids}), each already laid out for the UNet batch.
 *
 * @param hiddenStates the text embeddings [unet batch, sequence, D]
 * @param guidanceEmbedding the LCM guidance embedding [unet batch · dim] flattened, or null for UNets without it
 * @param extraInputs further UNet inputs by name; empty for Stable Diffusion 1.x/2.x
 */
public record UnetConditioning(Tensor hiddenStates, float[] guidanceEmbedding, Map<String, Tensor> extraInputs) {

    /** Checks the required part and copies the map, so the conditioning cannot change during a run. */
    public UnetConditioning {
        if (hiddenStates == null) {
            throw new IllegalArgumentException("a UNet conditioning needs the text embeddings");
        }
        extraInputs = extraInputs == null ? Map.of() : Map.copyOf(extraInputs);
    }

    /** Conditioning on text embeddings alone. */
    public static UnetConditioning ofText(Tensor hiddenStates) {
        return new UnetConditioning(hiddenStates, null, Map.of());
    }

    /** This conditioning with the LCM guidance embedding added. */
    public UnetConditioning withGuidanceEmbedding(float[] embedding) {
        return new UnetConditioning(hiddenStates, embedding, extraInputs);
    }
}
