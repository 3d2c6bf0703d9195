package org.ijgenai.core.diffusion;

import java.util.Map;

/**
 * The "prepare latents" part of a pipeline: where denoising starts (pure noise for txt2img, a noised init image
 * for img2img, masks and masked-image latents for inpainting), at which timestep, and what the variant adds to
 * the shared loop through its {@link DenoiseHook}.
 */
public interface LatentStart {

    /**
     * The image size to generate, {width, height}: the init image's working size, or the request's, or the
     * model's native size.
     */
    int[] size(GenerationRequest request, ModelFolder folder);

    /** The index of the first of the scheduler's timesteps to run: 0 unless an init image skips the early ones. */
    int firstStep(GenerationRequest request, double[] timesteps);

    /** The units of progress {@link #prepare} reports (VAE encodes), for the progress bar's total. */
    int preparationUnits();

    /**
     * The initial latents of the whole batch, drawn from {@code plan.generator()} in diffusers' order.
     *
     * @param progress reports each unit counted by {@link #preparationUnits()}
     */
    float[] prepare(DenoisingPlan plan, StableDiffusionModel model, java.util.function.Consumer<String> progress);

    /** What this start adds inside the loop; nothing by default. */
    default DenoiseHook hook() {
        return DenoiseHook.NONE;
    }

    /**
     * Whether this start feeds an inpainting UNet's extra sample channels (mask and masked-image latents); the
     * pipeline refuses to pair such a UNet with a start that does not.
     */
    default boolean feedsInpaintingUnet() {
        return false;
    }

    /** Whether the request's strength applies (it is then recorded with the parameters). */
    boolean usesStrength();

    /** Parameters that describe this start beyond the request (the init image's source, …), added to the record. */
    default void describe(Map<String, String> parameters) {}
}
