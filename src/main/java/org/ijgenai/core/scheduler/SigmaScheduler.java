package org.ijgenai.core.scheduler;

import org.ijgenai.core.noise.NoiseSchedule;

/**
 * The common part of diffusers' k-diffusion-style schedulers (Euler, Euler Ancestral, LMS): they integrate in
 * σ = √((1−ᾱ)/ᾱ), scale the model input by 1/√(σ²+1), noise with x + σ·ε, and find their position by looking the
 * timestep up in the schedule (diffusers' {@code index_for_timestep} and {@code begin_index}).
 */
abstract class SigmaScheduler implements Scheduler {

    protected final NoiseSchedule schedule;
    protected final int numTrainTimesteps;
    protected final PredictionType predictionType;
    protected final TimestepSpacing spacing;
    protected final int stepsOffset;
    /** Train-time σ_t as float32, increasing with t. */
    protected final float[] trainSigmas;

    /** σ of each step plus the final σ (float32); null before setTimesteps. */
    protected float[] sigmas;
    protected double[] timesteps;
    protected int numInferenceSteps;
    /** The index of the next step; -1 until the first step or scaleModelInput finds it. */
    protected int stepIndex = -1;

    /**
     * @param knowsZeroSnrRescaling whether the diffusers class has {@code rescale_betas_zero_snr} (LMS has not)
     * @param knownUnsupported the keys the diffusers class knows that we do not implement
     */
    SigmaScheduler(SchedulerConfig config, boolean knowsZeroSnrRescaling, String... knownUnsupported) {
        config.rejectUnsupported(knownUnsupported);
        this.schedule = config.noiseSchedule(1000, 0.0001, 0.02, "linear", knowsZeroSnrRescaling);
        this.numTrainTimesteps = schedule.numTrainTimesteps();
        this.predictionType = PredictionType.fromConfigName(
                config.getString(SchedulerConfig.PREDICTION_TYPE, "epsilon"));
        this.spacing = TimestepSpacing.fromConfigName(config.getString(SchedulerConfig.TIMESTEP_SPACING, "linspace"));
        this.stepsOffset = config.getInt(SchedulerConfig.STEPS_OFFSET, 0);
        this.trainSigmas = NumpyCompat.trainSigmas(NumpyCompat.alphasCumprodForSigmas(schedule,
                knowsZeroSnrRescaling && config.rescalesToZeroSnr()));
    }

    /** The training noise schedule (β, ᾱ). */
    public NoiseSchedule noiseSchedule() {
        return schedule;
    }

    /**
     * The float32 timesteps of diffusers' Euler, Euler Ancestral and LMS schedulers for the configured spacing: an
     * unrounded float32 linspace, or the rounded leading / trailing grids.
     */
    protected double[] spacedTimesteps(int steps) {
        NumpyCompat.checkStepCount(steps, numTrainTimesteps);
        double[] ts;
        switch (spacing) {
            case LINSPACE: {
                double[] grid = NumpyCompat.linspace(0, numTrainTimesteps - 1, steps);
                ts = new double[steps];
                for (int i = 0; i < steps; i++) {
                    ts[i] = (float) grid[steps - 1 - i];
                }
                break;
            }
            case LEADING:
                ts = NumpyCompat.leadingTimesteps(numTrainTimesteps, steps, stepsOffset);
                break;
            case TRAILING:
                ts = NumpyCompat.trailingTimesteps(numTrainTimesteps, steps);
                break;
            default:
                throw new IllegalStateException("unhandled spacing " + spacing);
        }
        return ts;
    }

    /** Starts a run with these σ (n + 1 values) and timesteps (n values). */
    protected void startRun(float[] runSigmas, double[] runTimesteps) {
        this.sigmas = runSigmas;
        this.timesteps = runTimesteps;
        this.numInferenceSteps = runTimesteps.length;
        this.stepIndex = -1;
    }

    @Override
    public double[] timesteps() {
        requireTimesteps();
        return timesteps.clone();
    }

    /** σ of every step plus the final σ, as float32 values. */
    public float[] sigmas() {
        requireTimesteps();
        return sigmas.clone();
    }

    /** √(σ_max² + 1) for "leading" spacing, else σ_max, as diffusers (float32). */
    @Override
    public double initNoiseSigma() {
        float max = 0f;
        float[] source = sigmas != null ? sigmas : trainSigmas;
        for (float sigma : source) {
            max = Math.max(max, sigma);
        }
        if (spacing == TimestepSpacing.LINSPACE || spacing == TimestepSpacing.TRAILING) {
            return max;
        }
        return (float) Math.sqrt(max * max + 1f);
    }

    protected void initStepIndex(double timestep) {
        stepIndex = NumpyCompat.indexForTimestep(timesteps, timestep, false);
    }

    /** x / √(σ² + 1), the input scaling of the k-diffusion parameterisation. */
    @Override
    public float[] scaleModelInput(float[] sample, double timestep) {
        requireTimesteps();
        if (stepIndex < 0) {
            initStepIndex(timestep);
        }
        float sigma = sigmas[stepIndex];
        float scale = (float) Math.sqrt(sigma * sigma + 1f);
        float[] out = new float[sample.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sample[i] / scale;
        }
        return out;
    }

    /** Prepares a step: checks the state and shapes and locates the step index. */
    protected void beginStep(float[] modelOutput, double timestep, float[] sample) {
        requireTimesteps();
        NumpyCompat.checkSameLength(modelOutput, "modelOutput", sample, "sample");
        if (stepIndex < 0) {
            initStepIndex(timestep);
        }
        if (stepIndex >= timesteps.length) {
            throw new IllegalStateException(name() + ": all " + timesteps.length
                    + " steps of this run are done; call setTimesteps to start another");
        }
    }

    /** x̂0 from the model output at σ, for the configured prediction type. */
    protected float[] predictOriginal(float[] modelOutput, float[] sample, float sigma) {
        int n = sample.length;
        float[] x0 = new float[n];
        switch (predictionType) {
            case EPSILON:
                for (int i = 0; i < n; i++) {
                    x0[i] = sample[i] - sigma * modelOutput[i];
                }
                break;
            case V_PREDICTION: {
                // c_out = −σ/√(σ²+1), c_skip = 1/(σ²+1).
                float sigmaSquaredPlusOne = sigma * sigma + 1f;
                float cOut = -sigma / (float) Math.sqrt(sigmaSquaredPlusOne);
                for (int i = 0; i < n; i++) {
                    x0[i] = modelOutput[i] * cOut + sample[i] / sigmaSquaredPlusOne;
                }
                break;
            }
            case SAMPLE:
                System.arraycopy(modelOutput, 0, x0, 0, n);
                break;
            default:
                throw new IllegalStateException("unhandled prediction type " + predictionType);
        }
        return x0;
    }

    /** x + σ·ε with σ at the timestep's index. */
    @Override
    public float[] addNoise(float[] originalSample, float[] noise, double timestep) {
        requireTimesteps();
        NumpyCompat.checkSameLength(originalSample, "originalSample", noise, "noise");
        float sigma = sigmas[NumpyCompat.indexForTimestep(timesteps, timestep, false)];
        float[] out = new float[originalSample.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = originalSample[i] + noise[i] * sigma;
        }
        return out;
    }

    protected void requireTimesteps() {
        if (timesteps == null) {
            throw new IllegalStateException(name() + ": call setTimesteps(numInferenceSteps) before timesteps(), "
                    + "scaleModelInput() or step()");
        }
    }
}
