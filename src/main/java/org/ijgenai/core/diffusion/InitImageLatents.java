package org.ijgenai.core.diffusion;

import java.util.Map;
import java.util.function.Consumer;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.network.LatentDistribution;

/**
 * img2img's start, as {@code OnnxStableDiffusionImg2ImgPipeline} computes it: the init image's VAE latents
 * (scaled, one copy per image), noised to the timestep that {@code strength} selects, with denoising starting
 * just after it — diffusers' off-by-one included (init_timestep = int(steps·strength) + offset, start index =
 * steps − init_timestep + offset). SDXL models follow {@code StableDiffusionXLImg2ImgPipeline.get_timesteps}
 * instead: init_timestep = min(int(steps·strength), steps), denoising starts at index steps − init_timestep, and
 * the init latents are noised at that first timestep.
 */
public final class InitImageLatents implements LatentStart {

    /** diffusers' pipelines force steps_offset = 1 into every scheduler config. */
    static final int STEPS_OFFSET = 1;

    private final InitImage init;
    private final boolean xl;

    /** The start from an init image, as the SD 1.x/2.x ONNX pipeline makes it. */
    public InitImageLatents(InitImage init) {
        this(init, false);
    }

    /** The start from an init image, with SDXL's timestep selection when {@code xl}. */
    public InitImageLatents(InitImage init, boolean xl) {
        if (init == null) {
            throw new IllegalArgumentException("image-to-image needs an init image");
        }
        this.init = init;
        this.xl = xl;
    }

    @Override
    public int[] size(GenerationRequest request, ModelFolder folder) {
        return new int[] {init.workingWidth(), init.workingHeight()};
    }

    /** diffusers' init_timestep: how many of the schedule's steps the noised init image goes through. */
    static int initTimestep(GenerationRequest request) {
        return Math.min((int) (request.steps() * request.strength()) + STEPS_OFFSET, request.steps());
    }

    /** SDXL's init_timestep, without the ONNX pipeline's offset. */
    static int xlInitTimestep(GenerationRequest request) {
        return Math.min((int) (request.steps() * request.strength()), request.steps());
    }

    @Override
    public int firstStep(GenerationRequest request, double[] timesteps) {
        if (xl) {
            int init = xlInitTimestep(request);
            if (init < 1) {
                throw new IllegalArgumentException("strength " + request.strength() + " × " + request.steps()
                        + " steps leaves no denoising step (SDXL runs int(steps × strength) steps); raise either");
            }
            return request.steps() - init;
        }
        return Math.max(request.steps() - initTimestep(request) + STEPS_OFFSET, 0);
    }

    @Override
    public int preparationUnits() {
        return 1;
    }

    @Override
    public float[] prepare(DenoisingPlan plan, StableDiffusionModel model, Consumer<String> progress) {
        progress.accept("encoding the init image");
        float[] initLatents = encode(plan, model);
        double[] timesteps = plan.timesteps();
        double noiseTimestep = xl ? timesteps[plan.firstStep()]
                : timesteps[timesteps.length - initTimestep(plan.request())];
        float[] noise = plan.generator().randn(plan.latentSize());
        return plan.scheduler().addNoise(initLatents, noise, noiseTimestep);
    }

    /**
     * The init image's latents, scaled and repeated for each image of the batch; an 8-channel encoder is sampled
     * from the plan's generator before any noise is drawn.
     */
    static float[] encode(DenoisingPlan plan, StableDiffusionModel model, InitImage image) {
        ModelFolder folder = model.folder();
        int channels = plan.channels();
        LatentDistribution distribution = model.vaeEncoder().encode(image.toModelInput(), plan.height(),
                plan.width(), channels);
        float[] one = distribution.sample(plan.generator());
        int perImage = channels * plan.latentHeight() * plan.latentWidth();
        if (one.length != perImage) {
            throw new GenAiException(folder.vaeEncoder() + " returned latents of " + one.length + " values for a "
                    + plan.width() + "×" + plan.height() + " image; expected " + perImage);
        }
        float scaling = (float) folder.scalingFactor();
        float[] latents = new float[plan.latentSize()];
        for (int b = 0; b < plan.batch(); b++) {
            for (int i = 0; i < perImage; i++) {
                latents[b * perImage + i] = scaling * one[i];
            }
        }
        return latents;
    }

    private float[] encode(DenoisingPlan plan, StableDiffusionModel model) {
        return encode(plan, model, init);
    }

    @Override
    public boolean usesStrength() {
        return true;
    }

    @Override
    public void describe(Map<String, String> parameters) {
        if (init.source() != null) {
            parameters.put("init", init.source());
        }
    }
}
