package org.ijgenai.core.scheduler;

import org.ijgenai.core.random.NoiseSource;
import org.ijgenai.core.noise.NoiseSchedule;

/**
 * The Euler sampler of Karras et al. (2022, algorithm 2 without churn) as diffusers' {@code EulerDiscreteScheduler}:
 * d = (x − x̂0)/σ_i, x_{i+1} = x + d·(σ_{i+1} − σ_i). Deterministic.
 *
 * <p>Defaults: 1000 steps, linear β 0.0001–0.02, epsilon, interpolation_type "linear", no Karras σ, "linspace"
 * spacing, timestep_type "discrete", steps_offset 0, final_sigmas_type "zero". sigma_min / sigma_max bound the
 * Karras σ when given.
 */
public final class EulerScheduler extends SigmaScheduler {

    private final boolean useKarrasSigmas;
    private final boolean logLinearInterpolation;
    private final boolean continuousTimesteps;
    private final boolean finalSigmaMin;
    private final Double sigmaMin;
    private final Double sigmaMax;

    /**
     * An Euler scheduler for the given config.
     *
     * @throws IllegalArgumentException for invalid config values
     */
    public EulerScheduler(SchedulerConfig config) {
        super(config, true, "use_exponential_sigmas", "use_beta_sigmas");
        this.useKarrasSigmas = config.getBoolean(SchedulerConfig.USE_KARRAS_SIGMAS, false);
        String interpolation = config.getString(SchedulerConfig.INTERPOLATION_TYPE, "linear");
        if (!interpolation.equals("linear") && !interpolation.equals("log_linear")) {
            throw new IllegalArgumentException("interpolation_type must be linear or log_linear, was '"
                    + interpolation + "'");
        }
        this.logLinearInterpolation = interpolation.equals("log_linear");
        String timestepType = config.getString(SchedulerConfig.TIMESTEP_TYPE, "discrete");
        if (!timestepType.equals("discrete") && !timestepType.equals("continuous")) {
            throw new IllegalArgumentException("timestep_type must be discrete or continuous, was '"
                    + timestepType + "'");
        }
        // As in diffusers, continuous (EDM-style c_noise = σ/4 in log space) timesteps apply to v-prediction only.
        this.continuousTimesteps = timestepType.equals("continuous")
                && predictionType == PredictionType.V_PREDICTION;
        String finalSigmas = config.getString(SchedulerConfig.FINAL_SIGMAS_TYPE, "zero");
        if (!finalSigmas.equals("zero") && !finalSigmas.equals("sigma_min")) {
            throw new IllegalArgumentException("final_sigmas_type must be zero or sigma_min, was '" + finalSigmas
                    + "'");
        }
        this.finalSigmaMin = finalSigmas.equals("sigma_min");
        this.sigmaMin = config.getNullableDouble(SchedulerConfig.SIGMA_MIN);
        this.sigmaMax = config.getNullableDouble(SchedulerConfig.SIGMA_MAX);
    }

    @Override
    public String name() {
        return "euler";
    }

    @Override
    public void setTimesteps(int steps) {
        double[] ts = spacedTimesteps(steps);
        double[] runSigmas;
        if (logLinearInterpolation) {
            // torch.linspace(log σ_max, log σ_min, n + 1).exp(), in float32.
            int last = trainSigmas.length - 1;
            float[] logs = NoiseSchedule.linspaceFloat32((float) Math.log(trainSigmas[last]),
                    (float) Math.log(trainSigmas[0]), steps + 1);
            runSigmas = new double[logs.length];
            for (int i = 0; i < logs.length; i++) {
                runSigmas[i] = (float) Math.exp(logs[i]);
            }
        } else {
            runSigmas = new double[ts.length];
            for (int i = 0; i < ts.length; i++) {
                runSigmas[i] = NumpyCompat.interp(ts[i], trainSigmas);
            }
        }
        if (useKarrasSigmas) {
            float[] logSigmas = NumpyCompat.logFloat32(trainSigmas);
            double min = sigmaMin != null ? sigmaMin : runSigmas[runSigmas.length - 1];
            double max = sigmaMax != null ? sigmaMax : runSigmas[0];
            runSigmas = NumpyCompat.karrasSigmas(min, max, steps);
            ts = new double[runSigmas.length];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = (float) NumpyCompat.sigmaToT(runSigmas[i], logSigmas);
            }
        }
        float[] allSigmas = NumpyCompat.withFinalSigma(runSigmas, NumpyCompat.finalSigma(schedule, finalSigmaMin));
        if (continuousTimesteps) {
            ts = new double[allSigmas.length - 1];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = 0.25f * (float) Math.log(allSigmas[i]);
            }
        } else {
            for (int i = 0; i < ts.length; i++) {
                ts[i] = (float) ts[i];
            }
        }
        startRun(allSigmas, ts);
        this.numInferenceSteps = steps;
    }

    @Override
    public StepOutput step(float[] modelOutput, double timestep, float[] sample, NoiseSource noise) {
        beginStep(modelOutput, timestep, sample);
        float sigma = sigmas[stepIndex];
        // s_churn = 0 (diffusers' default), so γ = 0 and σ̂ = σ·(0 + 1) = σ: no noise is added.
        float sigmaHat = sigma;
        float[] predOriginal = predictOriginal(modelOutput, sample, sigmaHat);
        float dt = sigmas[stepIndex + 1] - sigmaHat;
        float[] prev = new float[sample.length];
        for (int i = 0; i < prev.length; i++) {
            float derivative = (sample[i] - predOriginal[i]) / sigmaHat;
            prev[i] = sample[i] + derivative * dt;
        }
        stepIndex++;
        return new StepOutput(prev, predOriginal);
    }
}
