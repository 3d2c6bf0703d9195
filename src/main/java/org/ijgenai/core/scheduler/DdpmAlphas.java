package org.ijgenai.core.scheduler;

import org.ijgenai.core.noise.NoiseSchedule;

/**
 * The ᾱ_t table of diffusers' DDPM-parameterised schedulers (DDIM, PNDM, LCM): looked up by integer timestep, with
 * set_alpha_to_one's "final" ᾱ standing in before t = 0, and the forward process √ᾱ_t·x0 + √(1−ᾱ_t)·ε these
 * schedulers noise img2img latents with.
 */
final class DdpmAlphas {

    private final NoiseSchedule schedule;
    private final float[] alphasCumprod;
    /** ᾱ used "before" t = 0: 1, or ᾱ_0 when set_alpha_to_one is false. */
    private final float finalAlphaCumprod;

    /** @param setAlphaToOneByDefault the scheduler's default for set_alpha_to_one, used when the config lacks it */
    DdpmAlphas(NoiseSchedule schedule, SchedulerConfig config, boolean setAlphaToOneByDefault) {
        this.schedule = schedule;
        this.alphasCumprod = schedule.alphasCumprod();
        this.finalAlphaCumprod = config.getBoolean(SchedulerConfig.SET_ALPHA_TO_ONE, setAlphaToOneByDefault) ? 1f
                : alphasCumprod[0];
    }

    /** ᾱ_t (float32). */
    float at(int timestep) {
        return alphasCumprod[timestep];
    }

    /** ᾱ at the timestep a step lands on, or the final ᾱ when that lies before t = 0. */
    float atPrevious(int prevTimestep) {
        return prevTimestep >= 0 ? alphasCumprod[prevTimestep] : finalAlphaCumprod;
    }

    /** q(x_t | x0) at the timestep (an integer in [0, T)), as a new array. */
    float[] addNoise(float[] originalSample, float[] noise, double timestep) {
        NumpyCompat.checkSameLength(originalSample, "originalSample", noise, "noise");
        float[] out = new float[originalSample.length];
        schedule.addNoise(originalSample, noise, NumpyCompat.trainIndex(timestep, schedule.numTrainTimesteps()), out);
        return out;
    }
}
