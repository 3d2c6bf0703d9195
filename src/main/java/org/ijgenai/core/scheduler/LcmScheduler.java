package org.ijgenai.core.scheduler;

import org.ijgenai.core.random.NoiseSource;
import org.ijgenai.core.noise.NoiseSchedule;

/**
 * Latent consistency model sampling (Luo et al., 2023) as diffusers' {@code LCMScheduler}: each step maps x_t to the
 * consistency-model output c_skip(t)·x_t + c_out(t)·x̂0 (the "denoised" sample, returned as {@link
 * StepOutput#predOriginalSample()}), then, except on the last step, re-noises it to the next timestep with fresh
 * noise from the {@link NoiseSource}: √ᾱ_prev·denoised + √(1−ᾱ_prev)·z. One-step sampling draws no noise.
 *
 * <p>Defaults: 1000 steps, scaled_linear β 0.00085–0.012, original_inference_steps 50, clip_sample false,
 * clip_sample_range 1, set_alpha_to_one true, steps_offset 0, epsilon, timestep_scaling 10. The timesteps are
 * evenly picked from the distillation schedule (k = T // original_inference_steps; k−1, 2k−1, …).
 */
public final class LcmScheduler implements Scheduler {

    /** σ_data of the consistency-model boundary conditions. */
    private static final float SIGMA_DATA = 0.5f;

    private final NoiseSchedule schedule;
    private final DdpmAlphas alphas;
    private final int numTrainTimesteps;
    private final int originalInferenceSteps;
    private final PredictionType predictionType;
    private final boolean clipSample;
    private final float clipSampleRange;
    private final double timestepScaling;

    private double[] timesteps;
    private int numInferenceSteps;
    private int stepIndex = -1;

    /**
     * An LCM scheduler for the given config.
     *
     * @throws IllegalArgumentException for invalid config values
     */
    public LcmScheduler(SchedulerConfig config) {
        config.rejectUnsupported(SchedulerConfig.THRESHOLDING);
        this.schedule = config.noiseSchedule(1000, 0.00085, 0.012, "scaled_linear", true);
        this.numTrainTimesteps = schedule.numTrainTimesteps();
        this.alphas = new DdpmAlphas(schedule, config, true);
        this.originalInferenceSteps = config.getInt(SchedulerConfig.ORIGINAL_INFERENCE_STEPS, 50);
        if (originalInferenceSteps < 1 || originalInferenceSteps > numTrainTimesteps) {
            throw new IllegalArgumentException("original_inference_steps must lie in [1, " + numTrainTimesteps
                    + "], was " + originalInferenceSteps);
        }
        this.predictionType = PredictionType.fromConfigName(
                config.getString(SchedulerConfig.PREDICTION_TYPE, "epsilon"));
        this.clipSample = config.getBoolean(SchedulerConfig.CLIP_SAMPLE, false);
        this.clipSampleRange = (float) config.getDouble(SchedulerConfig.CLIP_SAMPLE_RANGE, 1.0);
        this.timestepScaling = config.getDouble(SchedulerConfig.TIMESTEP_SCALING, 10.0);
    }

    @Override
    public String name() {
        return "lcm";
    }

    /** The training noise schedule (β, ᾱ). */
    public NoiseSchedule noiseSchedule() {
        return schedule;
    }

    @Override
    public void setTimesteps(int steps) {
        NumpyCompat.checkAtLeastOneStep(steps);
        if (steps > originalInferenceSteps) {
            throw new IllegalArgumentException("num_inference_steps (" + steps + ") cannot exceed "
                    + "original_inference_steps (" + originalInferenceSteps + ") for LCM");
        }
        // The distillation schedule k−1, 2k−1, …, reversed, sampled at floor(linspace(0, len, n, endpoint=False)).
        int k = numTrainTimesteps / originalInferenceSteps;
        int originCount = originalInferenceSteps;
        long[] origin = new long[originCount];
        for (int i = 0; i < originCount; i++) {
            origin[i] = (long) (originCount - i) * k - 1;
        }
        double step = (double) originCount / steps;
        double[] ts = new double[steps];
        for (int i = 0; i < steps; i++) {
            ts[i] = origin[(int) Math.floor(i * step)];
        }
        this.timesteps = ts;
        this.numInferenceSteps = steps;
        this.stepIndex = -1;
    }

    @Override
    public double[] timesteps() {
        requireTimesteps();
        return timesteps.clone();
    }

    @Override
    public StepOutput step(float[] modelOutput, double timestep, float[] sample, NoiseSource noise) {
        requireTimesteps();
        NumpyCompat.checkSameLength(modelOutput, "modelOutput", sample, "sample");
        if (stepIndex < 0) {
            stepIndex = NumpyCompat.indexForTimestep(timesteps, timestep, false);
        }
        if (stepIndex >= timesteps.length) {
            throw new IllegalStateException("lcm: all " + timesteps.length
                    + " steps of this run are done; call setTimesteps to start another");
        }
        int t = NumpyCompat.trainIndex(timestep, numTrainTimesteps);
        int prevStepIndex = stepIndex + 1;
        int prevT = prevStepIndex < timesteps.length ? (int) timesteps[prevStepIndex] : t;
        float alphaProdT = alphas.at(t);
        float alphaProdTPrev = alphas.atPrevious(prevT);
        float betaProdT = 1f - alphaProdT;
        float betaProdTPrev = 1f - alphaProdTPrev;

        // Boundary-condition scalings: c_skip = σ_d²/((t·s)² + σ_d²), c_out = t·s/√((t·s)² + σ_d²).
        float scaled = (float) t * (float) timestepScaling;
        float sigmaDataSquared = SIGMA_DATA * SIGMA_DATA;
        float cSkip = sigmaDataSquared / (scaled * scaled + sigmaDataSquared);
        float cOut = scaled / (float) Math.sqrt(scaled * scaled + sigmaDataSquared);

        float sqrtAlpha = (float) Math.sqrt(alphaProdT);
        float sqrtBeta = (float) Math.sqrt(betaProdT);
        int n = sample.length;
        float[] denoised = new float[n];
        for (int i = 0; i < n; i++) {
            float x0 = predictionType.originalSample(modelOutput[i], sample[i], sqrtAlpha, sqrtBeta);
            if (clipSample) {
                x0 = Math.min(Math.max(x0, -clipSampleRange), clipSampleRange);
            }
            denoised[i] = cOut * x0 + cSkip * sample[i];
        }

        float[] prev;
        if (stepIndex != numInferenceSteps - 1) {
            if (noise == null) {
                throw new IllegalArgumentException("LCM with more than one step needs a NoiseSource: every step but "
                        + "the last re-noises its output");
            }
            float[] z = noise.randn(n);
            float sqrtAlphaPrev = (float) Math.sqrt(alphaProdTPrev);
            float sqrtBetaPrev = (float) Math.sqrt(betaProdTPrev);
            prev = new float[n];
            for (int i = 0; i < n; i++) {
                prev[i] = sqrtAlphaPrev * denoised[i] + sqrtBetaPrev * z[i];
            }
        } else {
            prev = denoised.clone();
        }
        stepIndex++;
        return new StepOutput(prev, denoised);
    }

    @Override
    public float[] addNoise(float[] originalSample, float[] noise, double timestep) {
        return alphas.addNoise(originalSample, noise, timestep);
    }

    private void requireTimesteps() {
        if (timesteps == null) {
            throw new IllegalStateException("lcm: call setTimesteps(numInferenceSteps) before timesteps() or step()");
        }
    }
}
