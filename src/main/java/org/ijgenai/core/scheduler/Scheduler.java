package org.ijgenai.core.scheduler;

import org.ijgenai.core.random.NoiseSource;

/**
 * A diffusion sampler in diffusers' shape: {@code set_timesteps}, {@code scale_model_input}, {@code step} and
 * {@code add_noise}, over flattened float32 samples in [B, C, H, W] order.
 *
 * <p>Like diffusers, a scheduler is stateful: {@link #setTimesteps(int)} starts a run, and {@link #step} must be
 * called once per entry of {@link #timesteps()} from the chosen start, in order.
 */
public interface Scheduler {

    /** The diffusers name this scheduler answers to, e.g. {@code ddim} or {@code dpmpp_2m_karras}. */
    String name();

    /** Prepares a run of {@code numInferenceSteps} denoising steps and resets all per-run state. */
    void setTimesteps(int numInferenceSteps);

    /**
     * The timesteps of the run, one per model evaluation, in the order they are visited (may be fractional).
     *
     * @throws IllegalStateException before {@link #setTimesteps(int)}
     */
    double[] timesteps();

    /**
     * The standard deviation of the initial noise: 1 for DDPM-style schedulers (the default), σ_max for
     * Karras-style ones.
     */
    default double initNoiseSigma() {
        return 1.0;
    }

    /**
     * Scales the denoising model's input for {@code timestep}; returns {@code sample} itself when no scaling is
     * needed (the default, as for the DDPM-style schedulers), otherwise a new array.
     */
    default float[] scaleModelInput(float[] sample, double timestep) {
        return sample;
    }

    /**
     * Advances the sample from {@code timestep} to the previous timestep.
     *
     * @param modelOutput the network output at {@code timestep} (after guidance)
     * @param noise the generator for schedulers that inject noise; may be null for deterministic ones
     */
    StepOutput step(float[] modelOutput, double timestep, float[] sample, NoiseSource noise);

    /** Noises a clean sample to {@code timestep}, as the forward process of this scheduler defines it. */
    float[] addNoise(float[] originalSample, float[] noise, double timestep);
}
