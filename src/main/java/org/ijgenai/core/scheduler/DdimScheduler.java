package org.ijgenai.core.scheduler;

import org.ijgenai.core.random.NoiseSource;
import org.ijgenai.core.noise.NoiseSchedule;

/**
 * DDIM (Song et al., 2021) as diffusers' {@code DDIMScheduler}: x_{t−δ} = √ᾱ_{t−δ}·x̂0 + √(1 − ᾱ_{t−δ} − σ_t²)·ε̂
 * + σ_t·z, with σ_t = η·√((1 − ᾱ_{t−δ}) / (1 − ᾱ_t) · (1 − ᾱ_t / ᾱ_{t−δ})). η = 0 is deterministic; η > 0 draws z
 * from the {@link NoiseSource} passed to {@link #step}.
 *
 * <p>Defaults (for keys absent from the config): 1000 steps, linear β 0.0001–0.02, clip_sample true,
 * set_alpha_to_one true, steps_offset 0, epsilon, "leading" spacing. Arithmetic is float32, as diffusers' tensors.
 */
public final class DdimScheduler implements Scheduler {

    private final NoiseSchedule schedule;
    private final DdpmAlphas alphas;
    private final int numTrainTimesteps;
    private final PredictionType predictionType;
    private final TimestepSpacing spacing;
    private final int stepsOffset;
    private final boolean clipSample;
    private final float clipSampleRange;
    private final double eta;

    private int numInferenceSteps;
    private double[] timesteps;

    /** A deterministic (η = 0) DDIM scheduler. */
    public DdimScheduler(SchedulerConfig config) {
        this(config, 0.0);
    }

    /**
     * A DDIM scheduler with stochasticity η (0 = DDIM, 1 = DDPM-like variance).
     *
     * @throws IllegalArgumentException for invalid config values or η outside [0, ∞)
     */
    public DdimScheduler(SchedulerConfig config, double eta) {
        config.rejectUnsupported(SchedulerConfig.THRESHOLDING);
        if (!(eta >= 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("eta must be a finite number ≥ 0, was " + eta);
        }
        this.schedule = config.noiseSchedule(1000, 0.0001, 0.02, "linear", true);
        this.numTrainTimesteps = schedule.numTrainTimesteps();
        this.alphas = new DdpmAlphas(schedule, config, true);
        this.predictionType = PredictionType.fromConfigName(
                config.getString(SchedulerConfig.PREDICTION_TYPE, "epsilon"));
        this.spacing = TimestepSpacing.fromConfigName(config.getString(SchedulerConfig.TIMESTEP_SPACING, "leading"));
        this.stepsOffset = config.getInt(SchedulerConfig.STEPS_OFFSET, 0);
        this.clipSample = config.getBoolean(SchedulerConfig.CLIP_SAMPLE, true);
        this.clipSampleRange = (float) config.getDouble(SchedulerConfig.CLIP_SAMPLE_RANGE, 1.0);
        this.eta = eta;
    }

    @Override
    public String name() {
        return "ddim";
    }

    /** The training noise schedule (β, ᾱ). */
    public NoiseSchedule noiseSchedule() {
        return schedule;
    }

    /** η, the weight of the injected noise. */
    public double eta() {
        return eta;
    }

    @Override
    public void setTimesteps(int steps) {
        NumpyCompat.checkStepCount(steps, numTrainTimesteps);
        this.timesteps = NumpyCompat.ddpmTimesteps(spacing, numTrainTimesteps, steps, stepsOffset);
        this.numInferenceSteps = steps;
    }

    @Override
    public double[] timesteps() {
        requireTimesteps();
        return timesteps.clone();
    }

    /**
     * The variance σ_t²/η² of the step from {@code timestep} to {@code prevTimestep}, diffusers' {@code
     * _get_variance}.
     */
    public float variance(int timestep, int prevTimestep) {
        float alphaProdT = alphas.at(timestep);
        float alphaProdTPrev = alphas.atPrevious(prevTimestep);
        float betaProdT = 1f - alphaProdT;
        float betaProdTPrev = 1f - alphaProdTPrev;
        return (betaProdTPrev / betaProdT) * (1f - alphaProdT / alphaProdTPrev);
    }

    @Override
    public StepOutput step(float[] modelOutput, double timestep, float[] sample, NoiseSource noise) {
        requireTimesteps();
        NumpyCompat.checkSameLength(modelOutput, "modelOutput", sample, "sample");
        int t = NumpyCompat.trainIndex(timestep, numTrainTimesteps);
        int prevT = t - numTrainTimesteps / numInferenceSteps;

        float alphaProdT = alphas.at(t);
        float alphaProdTPrev = alphas.atPrevious(prevT);
        float betaProdT = 1f - alphaProdT;
        float sqrtAlpha = (float) Math.sqrt(alphaProdT);
        float sqrtBeta = (float) Math.sqrt(betaProdT);

        int n = sample.length;
        float[] predOriginal = new float[n];
        float[] predEpsilon = new float[n];
        for (int i = 0; i < n; i++) {
            predOriginal[i] = predictionType.originalSample(modelOutput[i], sample[i], sqrtAlpha, sqrtBeta);
            predEpsilon[i] = predictionType.noise(modelOutput[i], sample[i], sqrtAlpha, sqrtBeta);
            if (clipSample) {
                predOriginal[i] = Math.min(Math.max(predOriginal[i], -clipSampleRange), clipSampleRange);
            }
        }

        float stdDevT = (float) eta * (float) Math.sqrt(variance(t, prevT));
        float directionCoefficient = (float) Math.sqrt(1f - alphaProdTPrev - stdDevT * stdDevT);
        float sqrtAlphaPrev = (float) Math.sqrt(alphaProdTPrev);
        float[] prev = new float[n];
        for (int i = 0; i < n; i++) {
            prev[i] = sqrtAlphaPrev * predOriginal[i] + directionCoefficient * predEpsilon[i];
        }
        if (eta > 0) {
            if (noise == null) {
                throw new IllegalArgumentException("DDIM with eta > 0 needs a NoiseSource for its variance noise");
            }
            float[] z = noise.randn(n);
            for (int i = 0; i < n; i++) {
                prev[i] = prev[i] + stdDevT * z[i];
            }
        }
        return new StepOutput(prev, predOriginal);
    }

    @Override
    public float[] addNoise(float[] originalSample, float[] noise, double timestep) {
        return alphas.addNoise(originalSample, noise, timestep);
    }

    private void requireTimesteps() {
        if (timesteps == null) {
            throw new IllegalStateException("DDIM: call setTimesteps(numInferenceSteps) before timesteps() or step()");
        }
    }
}
