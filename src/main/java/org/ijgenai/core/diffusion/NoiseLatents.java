package org.ijgenai.core.diffusion;

import java.util.function.Consumer;

/**
 * txt2img's start: latents = σ_init · RandomState(seed).randn(B, C, h, w), denoised over every timestep.
 */
public final class NoiseLatents implements LatentStart {

    /** txt2img's start; it holds nothing, so one instance serves every run. */
    public static final NoiseLatents INSTANCE = new NoiseLatents();

    private NoiseLatents() {}

    @Override
    public int[] size(GenerationRequest request, ModelFolder folder) {
        return new int[] {request.width() > 0 ? request.width() : folder.nativeWidth(),
                request.height() > 0 ? request.height() : folder.nativeHeight()};
    }

    @Override
    public int firstStep(GenerationRequest request, double[] timesteps) {
        return 0;
    }

    @Override
    public int preparationUnits() {
        return 0;
    }

    @Override
    public float[] prepare(DenoisingPlan plan, StableDiffusionModel model, Consumer<String> progress) {
        float[] latents = plan.generator().randn(plan.latentSize());
        float sigma = (float) plan.scheduler().initNoiseSigma();
        for (int i = 0; i < latents.length; i++) {
            latents[i] *= sigma;
        }
        return latents;
    }

    @Override
    public boolean usesStrength() {
        return false;
    }
}
