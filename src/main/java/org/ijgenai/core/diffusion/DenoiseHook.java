package org.ijgenai.core.diffusion;

/**
 * What a pipeline variant adds inside the shared denoising loop, at the two places diffusers' pipelines differ:
 * the UNet's sample input (an inpainting UNet takes the mask and the masked image's latents beside the latents)
 * and the latents after each scheduler step (latent-mask inpainting puts the re-noised original back outside the
 * mask). Both default to doing nothing, which is txt2img and img2img.
 */
public interface DenoiseHook {

    /** The hook of txt2img and img2img: the loop as it is. */
    DenoiseHook NONE = new DenoiseHook() {};

    /**
     * The UNet's sample input for one evaluation.
     *
     * @param scaledInput the scheduler-scaled latents, already doubled under classifier-free guidance
     * @param unetBatch the batch size of {@code scaledInput}
     * @param step the index of this evaluation's timestep in {@link DenoisingPlan#timesteps()}
     */
    default float[] unetInput(float[] scaledInput, int unetBatch, int step, double timestep) {
        return scaledInput;
    }

    /**
     * The latents to carry on with after the scheduler stepped from timestep index {@code step}.
     *
     * @param latents the scheduler's previous sample x_{t−1}
     */
    default float[] afterStep(float[] latents, int step, double timestep) {
        return latents;
    }
}
