package org.ijgenai.core.diffusion;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.ijgenai.core.random.NumpyRandomState;
import org.ijgenai.core.tensor.Slerp;

/**
 * A latent walk between seeds: txt2img started from {@code slerp(noise(seed a), noise(seed b), t)}·σ_init, so that
 * nearby positions give nearby pictures. The request's seed is seed a; its generator draws seed a's noise, so
 * t = 0 is exactly the plain generation of seed a (ancestral schedulers' step noise included).
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

    /**
     * The walk's frames through seeds s₀, s₁, …: {@code framesPerSegment} positions t = k/N from each seed towards
     * the next, then the last seed itself.
     *
     * @throws IllegalArgumentException for fewer than two seeds or frames per segment below 1
     */
    public static List<SeedWalk> frames(List<Long> seeds, int framesPerSegment) {
        if (seeds.size() < 2) {
            throw new IllegalArgumentException("a walk needs at least two seeds, got " + seeds.size());
        }
        if (framesPerSegment < 1 || framesPerSegment > 1000) {
            throw new IllegalArgumentException("frames per segment must be in [1, 1000], was " + framesPerSegment);
        }
        List<SeedWalk> frames = new ArrayList<>();
        for (int s = 0; s + 1 < seeds.size(); s++) {
            for (int k = 0; k < framesPerSegment; k++) {
                frames.add(new SeedWalk(seeds.get(s), seeds.get(s + 1), (double) k / framesPerSegment));
            }
        }
        long last = seeds.get(seeds.size() - 1);
        frames.add(new SeedWalk(last, last, 0));
        return frames;
    }

    /** The slice label: "seed 1→2 t=0.250", or "seed 2" at an endpoint. */
    public String label() {
        return position == 0 ? "seed " + from : String.format(Locale.ROOT, "seed %d→%d t=%.3f", from, to, position);
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
