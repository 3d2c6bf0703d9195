package org.ijgenai.core.scheduler;

import org.ijgenai.core.random.NoiseSource;

/**
 * Ancestral Euler sampling (k-diffusion's {@code sample_euler_ancestral}) as diffusers' {@code
 * EulerAncestralDiscreteScheduler}: an Euler step down to σ_down, then fresh noise of standard deviation σ_up,
 * where σ_up = √(σ_{i+1}²·(σ_i² − σ_{i+1}²)/σ_i²) and σ_down = √(σ_{i+1}² − σ_up²).
 *
 * <p>Every step draws one standard-normal value per sample element from the {@link NoiseSource} given to {@link
 * #step} (the last step too, where σ_up = 0, so that the generator advances as in diffusers). Defaults: 1000 steps,
 * linear β 0.0001–0.02, epsilon, "linspace" spacing, steps_offset 0. prediction_type "sample" is rejected, as in
 * diffusers.
 */
public final class EulerAncestralScheduler extends SigmaScheduler {

    /**
     * An ancestral Euler scheduler for the given config.
     *
     * @throws IllegalArgumentException for invalid config values
     */
    public EulerAncestralScheduler(SchedulerConfig config) {
        super(config, true);
        if (predictionType == PredictionType.SAMPLE) {
            throw new IllegalArgumentException("Euler Ancestral supports prediction_type epsilon or v_prediction, "
                    + "not sample");
        }
    }

    @Override
    public String name() {
        return "euler_a";
    }

    @Override
    public void setTimesteps(int steps) {
        double[] ts = spacedTimesteps(steps);
        float[] allSigmas = new float[ts.length + 1];
        for (int i = 0; i < ts.length; i++) {
            allSigmas[i] = (float) NumpyCompat.interp(ts[i], trainSigmas);
        }
        startRun(allSigmas, ts);
    }

    @Override
    public StepOutput step(float[] modelOutput, double timestep, float[] sample, NoiseSource noise) {
        if (noise == null) {
            throw new IllegalArgumentException("Euler Ancestral needs a NoiseSource: every step adds fresh noise");
        }
        beginStep(modelOutput, timestep, sample);
        float sigma = sigmas[stepIndex];
        float[] predOriginal = predictOriginal(modelOutput, sample, sigma);
        float sigmaFrom = sigma;
        float sigmaTo = sigmas[stepIndex + 1];
        float sigmaUp = ancestralSigmaUp(sigmaFrom, sigmaTo);
        float sigmaDown = (float) Math.sqrt(sigmaTo * sigmaTo - sigmaUp * sigmaUp);
        float dt = sigmaDown - sigma;
        float[] z = noise.randn(sample.length);
        float[] prev = new float[sample.length];
        for (int i = 0; i < prev.length; i++) {
            float derivative = (sample[i] - predOriginal[i]) / sigma;
            prev[i] = sample[i] + derivative * dt;
            prev[i] = prev[i] + z[i] * sigmaUp;
        }
        stepIndex++;
        return new StepOutput(prev, predOriginal);
    }

    /** σ_up of the ancestral step from σ_from to σ_to, in float32 as diffusers computes it. */
    static float ancestralSigmaUp(float sigmaFrom, float sigmaTo) {
        float toSquared = sigmaTo * sigmaTo;
        float fromSquared = sigmaFrom * sigmaFrom;
        return (float) Math.sqrt(toSquared * (fromSquared - toSquared) / fromSquared);
    }
}
