package org.ijgenai.core.diffusion;

import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.ijgenai.core.random.NumpyRandomState;
import org.ijgenai.core.tensor.Slerp;

/**
 * A latent walk between seeds: txt2img started from {@code slerp(noise(seed a), noise(seed b), t)}·σ_init, so that
 * nearby positions give nearby pictures. The request's seed is seed a; its generator draws seed a's noise, so
 * t = 0 is exactly the plain generation of seed a (ancestral schedulers' step noise included). {@link LatentWalk}
 * lays out the frames.
 *
 * @param from seed a
 * @param to seed b
 * @param position t in [0, 1]
 */
public record SeedWalk(long from, long to, double position) implements LatentStart {

    /** Checks the position. */
    public SeedWalk {
        if (!(position >= 0 && position <= 1)) {
            throw new IllegalArgumentException("walk position must be in [0, 1], was " + position);
        }
    }

    @Override
    public int[] size(GenerationRequest request, ModelFolder folder) {
        return NoiseLatents.INSTANCE.size(request, folder);
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
        if (plan.request().seed() != from) {
            throw new IllegalStateException("a seed walk from " + from + " needs the request's seed to be " + from
                    + ", was " + plan.request().seed());
        }
        float[] a = plan.generator().randn(plan.latentSize());
        float[] noise = position == 0 ? a
                : Slerp.slerp(a, new NumpyRandomState(to).randn(plan.latentSize()), position);
        float sigma = (float) plan.scheduler().initNoiseSigma();
        float[] latents = new float[noise.length];
        for (int i = 0; i < latents.length; i++) {
            latents[i] = noise[i] * sigma;
        }
        return latents;
    }

    @Override
    public boolean usesStrength() {
        return false;
    }

    @Override
    public void describe(Map<String, String> parameters) {
        if (position > 0) {
            parameters.put("walk", String.format(Locale.ROOT, "slerp seed %d→%d t=%s", from, to, position));
        }
    }
}
