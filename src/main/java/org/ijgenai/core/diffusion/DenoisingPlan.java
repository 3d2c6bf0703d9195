package org.ijgenai.core.diffusion;

import org.ijgenai.core.random.NumpyRandomState;
import org.ijgenai.core.scheduler.Scheduler;

/**
 * What a generation settled before its first UNet evaluation: the request with its seed, scheduler and size
 * resolved, the scheduler with its timesteps set, the latent shape, where in the timesteps denoising starts, and
 * the seeded generator every random draw comes from, in diffusers' order.
 *
 * @param request the request as run (seed, scheduler name and size filled in)
 * @param channels the latent channels the VAE works in (4 for Stable Diffusion)
 * @param latentHeight the image height / 8
 * @param latentWidth the image width / 8
 * @param firstStep the index of the first timestep the loop runs (0 for txt2img; later for img2img)
 * @param guided whether the UNet batch is doubled for classifier-free guidance
 */
public record DenoisingPlan(GenerationRequest request, Scheduler scheduler, double[] timesteps, int channels,
        int latentHeight, int latentWidth, int firstStep, boolean guided, NumpyRandomState generator) {

    /** The number of images generated. */
    public int batch() {
        return request.batchSize();
    }

    /** The batch the UNet sees: twice the images under classifier-free guidance. */
    public int unetBatch() {
        return guided ? 2 * batch() : batch();
    }

    /** The number of floats in the latents of the whole batch. */
    public int latentSize() {
        return batch() * channels * latentHeight * latentWidth;
    }

    /** The number of UNet evaluations the loop makes. */
    public int evaluations() {
        return Math.max(timesteps.length - firstStep, 0);
    }

    /** The generated image's width in pixels. */
    public int width() {
        return request.width();
    }

    /** The generated image's height in pixels. */
    public int height() {
        return request.height();
    }
}
