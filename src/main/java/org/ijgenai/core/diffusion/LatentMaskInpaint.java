package org.ijgenai.core.diffusion;

import java.util.Map;
import java.util.function.Consumer;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.network.LatentDistribution;
import org.ijgenai.core.image.MaskFilters;
import org.ijgenai.core.image.MaskedFill;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.scheduler.Scheduler;

/**
 * Latent-mask inpainting with an ordinary 4-channel model, the way diffusers' {@code StableDiffusionInpaintPipeline}
 * runs a 4-channel UNet: the image's latents are noised to the timestep {@code strength} selects (pure noise at
 * strength 1), and after every scheduler step the latents outside the mask are replaced by the image's latents
 * noised to the next timestep (the clean latents after the last), so only the masked part is repainted.
 *
 * <p>Soft masks take part through differential diffusion (ComfyUI's {@code DifferentialDiffusion}): at timestep
 * index j the latents are kept free where the soft mask is at least t_j / t_first, so fully selected latents are
 * repainted from the first step and half-selected ones only over the later, less noisy half; latents where the
 * mask is 0 are never free. A hard mask is therefore plain latent-mask inpainting.
 *
 * <p>A1111's "masked content" says what the masked part starts from before the noise: the original, the blurred
 * surroundings ({@link MaskedFill}), fresh noise, or zeros (the last two in the latents, where the rounded latent
 * mask is set).
 */
public final class LatentMaskInpaint implements LatentStart {

    private final InpaintImage image;
    private final MaskedContent content;
    private float[] soft;
    private float[] original;
    private float[] noise;
    private double[] timesteps;
    private int firstStep;
    private Scheduler scheduler;
    private int plane;
    private int perImage;

    /** The start from an image, its (soft) mask and the masked content. */
    public LatentMaskInpaint(InpaintImage image, MaskedContent content) {
        this.image = image;
        this.content = content;
    }

    @Override
    public int[] size(GenerationRequest request, ModelFolder folder) {
        return InpaintSize.of(request, image);
    }

    /** diffusers' {@code get_timesteps}: init_timestep = min(int(steps·strength), steps), start = steps − that. */
    @Override
    public int firstStep(GenerationRequest request, double[] timesteps) {
        int initTimestep = Math.min((int) (request.steps() * request.strength()), request.steps());
        if (initTimestep < 1) {
            throw new GenAiException("strength " + request.strength() + " with " + request.steps()
                    + " steps leaves no denoising step; raise the strength or the steps");
        }
        return Math.max(request.steps() - initTimestep, 0);
    }

    @Override
    public int preparationUnits() {
        return 1;
    }

    @Override
    public float[] prepare(DenoisingPlan plan, StableDiffusionModel model, Consumer<String> progress) {
        progress.accept("encoding the image");
        int h = plan.latentHeight();
        int w = plan.latentWidth();
        plane = h * w;
        perImage = plan.channels() * plane;
        timesteps = plan.timesteps();
        firstStep = plan.firstStep();
        scheduler = plan.scheduler();
        soft = image.softLatentMask(w, h);
        original = encode(plan, model, image.image());
        float[] start = original;
        if (content == MaskedContent.FILL) {
            float[] pixelMask = SelectionMasks.fromGrey(image.mask());
            start = encode(plan, model, MaskedFill.fill(image.image(), MaskFilters.threshold(pixelMask, 0f)));
        } else if (content == MaskedContent.LATENT_NOISE || content == MaskedContent.LATENT_NOTHING) {
            float[] fresh = content == MaskedContent.LATENT_NOISE ? plan.generator().randn(plan.latentSize()) : null;
            start = original.clone();
            for (int i = 0; i < start.length; i++) {
                // A1111 rounds the latent mask (np.around) for this replacement.
                float m = Math.round(soft[i % plane]);
                start[i] = start[i] * (1 - m) + (fresh == null ? 0f : fresh[i] * m);
            }
        }
        noise = plan.generator().randn(plan.latentSize());
        if (plan.request().strength() >= 1.0) {
            float sigma = (float) plan.scheduler().initNoiseSigma();
            float[] latents = new float[noise.length];
            for (int i = 0; i < latents.length; i++) {
                latents[i] = noise[i] * sigma;
            }
            return latents;
        }
        return plan.scheduler().addNoise(start, noise, timesteps[firstStep]);
    }

    private float[] encode(DenoisingPlan plan, StableDiffusionModel model, RgbImage rgb) {
        LatentDistribution d = model.vaeEncoder().encode(new InpaintImage(rgb, image.mask(), null)
                .imageInput(plan.width(), plan.height()), plan.height(), plan.width(), plan.channels());
        float[] one = d.sample(plan.generator());
        if (one.length != perImage) {
            throw new GenAiException(model.folder().vaeEncoder() + " returned latents of " + one.length
                    + " values; expected " + perImage);
        }
        float scaling = (float) model.folder().scalingFactor();
        float[] latents = new float[plan.latentSize()];
        for (int b = 0; b < plan.batch(); b++) {
            for (int i = 0; i < perImage; i++) {
                latents[b * perImage + i] = scaling * one[i];
            }
        }
        return latents;
    }

    /**
     * Where the latents are free at timestep index {@code j} ({@code timesteps.length} meaning after the last
     * step).
     */
    float[] freeMask(int j) {
        return freeMask(soft, j >= timesteps.length ? 0 : timesteps[j], timesteps[firstStep]);
    }

    /**
     * Differential diffusion's per-step mask: 1 where the soft mask is above 0 and at least t / t_first (ComfyUI's
     * threshold, (t − t_min) / (t_first − t_min) with t_min = 0), else 0; t = 0 frees every selected latent.
     */
    static float[] freeMask(float[] soft, double t, double tFirst) {
        double threshold = t / Math.max(tFirst, 1e-9);
        float[] m = new float[soft.length];
        for (int i = 0; i < soft.length; i++) {
            m[i] = soft[i] > 0f && soft[i] >= threshold ? 1f : 0f;
        }
        return m;
    }

    @Override
    public DenoiseHook hook() {
        return new DenoiseHook() {
            @Override
            public float[] afterStep(float[] latents, int step, double timestep) {
                int next = step + 1;
                float[] proper = next < timesteps.length
                        ? scheduler.addNoise(original, noise, timesteps[next]) : original;
                float[] m = freeMask(next);
                float[] out = new float[latents.length];
                for (int i = 0; i < out.length; i++) {
                    float keep = m[i % plane];
                    out[i] = (1 - keep) * proper[i] + keep * latents[i];
                }
                return out;
            }
        };
    }

    @Override
    public boolean usesStrength() {
        return true;
    }

    @Override
    public void describe(Map<String, String> parameters) {
        parameters.put("inpaint", "latent mask");
        parameters.put("masked_content", content.key());
        if (image.source() != null) {
            parameters.put("init", image.source());
        }
    }
}
