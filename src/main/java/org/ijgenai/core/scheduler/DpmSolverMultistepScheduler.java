package org.ijgenai.core.scheduler;

import org.ijgenai.core.random.NoiseSource;
import org.ijgenai.core.noise.BetaSchedule;
import org.ijgenai.core.noise.NoiseSchedule;

/**
 * DPM-Solver++ (Lu et al., 2022) in its multistep form as diffusers' {@code DPMSolverMultistepScheduler}: in
 * λ = log(α/σ) time, x_t = (σ_t/σ_s)·x_s − α_t·(e^{−h} − 1)·D with h = λ_t − λ_s, where D is the latest x̂0
 * (first order) or x̂0 corrected with the previous one (second order, "2M"; midpoint or Heun form). Here α_t =
 * 1/√(σ²+1) and σ_t = σ·α_t for the k-diffusion σ of each step. Deterministic.
 *
 * <p>Defaults: 1000 steps, linear β 0.0001–0.02, solver_order 2, epsilon, algorithm_type "dpmsolver++", solver_type
 * "midpoint", lower_order_final true, euler_at_final false, no Karras σ, final_sigmas_type "zero",
 * lambda_min_clipped −∞, "linspace" spacing, steps_offset 0. algorithm_type "dpmsolver" (noise-prediction form) and
 * solver orders 1–3 are supported; the SDE variants are not.
 */
public final class DpmSolverMultistepScheduler implements Scheduler {

    private final NoiseSchedule schedule;
    private final BetaSchedule betaSchedule;
    private final int numTrainTimesteps;
    private final float[] trainSigmas;
    private final float[] lambdas;
    private final int solverOrder;
    private final PredictionType predictionType;
    private final boolean dataPrediction;
    private final boolean heun;
    private final boolean lowerOrderFinal;
    private final boolean eulerAtFinal;
    private final boolean useKarrasSigmas;
    private final boolean finalSigmaZero;
    private final double lambdaMinClipped;
    private final TimestepSpacing spacing;
    private final int stepsOffset;
    private final Double sigmaMin;
    private final Double sigmaMax;

    private float[] sigmas;
    private double[] timesteps;
    /** The converted model outputs of the last solver_order steps, oldest first (null = not yet). */
    private float[][] modelOutputs;
    private int lowerOrderNums;
    private int stepIndex = -1;

    /**
     * A DPM-Solver multistep scheduler for the given config.
     *
     * @throws IllegalArgumentException for invalid or unsupported config values
     */
    public DpmSolverMultistepScheduler(SchedulerConfig config) {
        config.rejectUnsupported(SchedulerConfig.THRESHOLDING, "use_exponential_sigmas", "use_beta_sigmas",
                "use_lu_lambdas", "use_flow_sigmas", "use_dynamic_shifting");
        this.schedule = config.noiseSchedule(1000, 0.0001, 0.02, "linear", true);
        this.betaSchedule = config.trainedBetas() != null ? null
                : BetaSchedule.fromConfigName(config.getString(SchedulerConfig.BETA_SCHEDULE, "linear"));
        this.numTrainTimesteps = schedule.numTrainTimesteps();
        this.solverOrder = config.getInt(SchedulerConfig.SOLVER_ORDER, 2);
        if (solverOrder < 1 || solverOrder > 3) {
            throw new IllegalArgumentException("solver_order must be 1, 2 or 3, was " + solverOrder);
        }
        this.predictionType = PredictionType.fromConfigName(
                config.getString(SchedulerConfig.PREDICTION_TYPE, "epsilon"));
        String algorithm = config.getString(SchedulerConfig.ALGORITHM_TYPE, "dpmsolver++");
        switch (algorithm) {
            case "dpmsolver++":
            case "deis": // diffusers maps the DEIS name onto DPM-Solver++
                this.dataPrediction = true;
                break;
            case "dpmsolver":
                this.dataPrediction = false;
                break;
            default:
                throw new IllegalArgumentException("algorithm_type must be dpmsolver++ or dpmsolver (the SDE variants "
                        + "are not supported), was '" + algorithm + "'");
        }
        String solverType = config.getString(SchedulerConfig.SOLVER_TYPE, "midpoint");
        switch (solverType) {
            case "midpoint":
            case "logrho": // diffusers maps these DEIS / UniPC names onto midpoint
            case "bh1":
            case "bh2":
                this.heun = false;
                break;
            case "heun":
                this.heun = true;
                break;
            default:
                throw new IllegalArgumentException("solver_type must be midpoint or heun, was '" + solverType + "'");
        }
        this.lowerOrderFinal = config.getBoolean(SchedulerConfig.LOWER_ORDER_FINAL, true);
        this.eulerAtFinal = config.getBoolean(SchedulerConfig.EULER_AT_FINAL, false);
        this.useKarrasSigmas = config.getBoolean(SchedulerConfig.USE_KARRAS_SIGMAS, false);
        String finalSigmas = config.getString(SchedulerConfig.FINAL_SIGMAS_TYPE, "zero");
        if (!finalSigmas.equals("zero") && !finalSigmas.equals("sigma_min")) {
            throw new IllegalArgumentException("final_sigmas_type must be zero or sigma_min, was '" + finalSigmas
                    + "'");
        }
        this.finalSigmaZero = finalSigmas.equals("zero");
        if (!dataPrediction && finalSigmaZero) {
            throw new IllegalArgumentException("final_sigmas_type 'zero' is not supported for algorithm_type "
                    + "dpmsolver; use final_sigmas_type sigma_min");
        }
        this.lambdaMinClipped = config.getDouble(SchedulerConfig.LAMBDA_MIN_CLIPPED, Double.NEGATIVE_INFINITY);
        this.spacing = TimestepSpacing.fromConfigName(config.getString(SchedulerConfig.TIMESTEP_SPACING, "linspace"));
        this.stepsOffset = config.getInt(SchedulerConfig.STEPS_OFFSET, 0);
        this.sigmaMin = config.getNullableDouble(SchedulerConfig.SIGMA_MIN);
        this.sigmaMax = config.getNullableDouble(SchedulerConfig.SIGMA_MAX);

        float[] alphasCumprod = NumpyCompat.alphasCumprodForSigmas(schedule, config.rescalesToZeroSnr());
        this.trainSigmas = NumpyCompat.trainSigmas(alphasCumprod);
        this.lambdas = new float[alphasCumprod.length];
        for (int t = 0; t < lambdas.length; t++) {
            // λ_t = log √ᾱ_t − log √(1 − ᾱ_t), float32 as diffusers' alpha_t, sigma_t and lambda_t tensors.
            float alpha = (float) Math.sqrt(alphasCumprod[t]);
            float sigma = (float) Math.sqrt(1f - alphasCumprod[t]);
            lambdas[t] = (float) Math.log(alpha) - (float) Math.log(sigma);
        }
    }

    @Override
    public String name() {
        return useKarrasSigmas ? "dpmpp_2m_karras" : "dpmpp_2m";
    }

    /** The training noise schedule (β, ᾱ). */
    public NoiseSchedule noiseSchedule() {
        return schedule;
    }

    @Override
    public void setTimesteps(int steps) {
        NumpyCompat.checkStepCount(steps, numTrainTimesteps);
        // Clip the timesteps whose λ falls below lambda_min_clipped (searchsorted on the increasing flipped λ).
        int clippedIndex = 0;
        while (clippedIndex < lambdas.length && lambdas[lambdas.length - 1 - clippedIndex] < lambdaMinClipped) {
            clippedIndex++;
        }
        int lastTimestep = numTrainTimesteps - clippedIndex;
        double[] ts;
        switch (spacing) {
            case LINSPACE: {
                double[] grid = NumpyCompat.linspace(0, lastTimestep - 1, steps + 1);
                ts = new double[steps];
                for (int i = 0; i < steps; i++) {
                    ts[i] = Math.rint(grid[steps - i]);
                }
                break;
            }
            case LEADING: {
                int stepRatio = lastTimestep / (steps + 1);
                ts = new double[steps];
                for (int i = 0; i < steps; i++) {
                    ts[i] = (double) (steps - i) * stepRatio + stepsOffset;
                }
                break;
            }
            case TRAILING: {
                double[] grid = NumpyCompat.arange(lastTimestep, 0, -((double) numTrainTimesteps / steps));
                ts = new double[grid.length];
                for (int i = 0; i < ts.length; i++) {
                    ts[i] = Math.rint(grid[i]) - 1;
                }
                break;
            }
            default:
                throw new IllegalStateException("unhandled spacing " + spacing);
        }
        double[] runSigmas;
        if (useKarrasSigmas) {
            float[] logSigmas = NumpyCompat.logFloat32(trainSigmas);
            double min = sigmaMin != null ? sigmaMin : trainSigmas[0];
            double max = sigmaMax != null ? sigmaMax : trainSigmas[trainSigmas.length - 1];
            runSigmas = NumpyCompat.karrasSigmas(min, max, steps);
            ts = new double[runSigmas.length];
            for (int i = 0; i < ts.length; i++) {
                double t = NumpyCompat.sigmaToT(runSigmas[i], logSigmas);
                // diffusers rounds except for the cosine schedule; the cast to int64 then truncates.
                ts[i] = betaSchedule != BetaSchedule.SQUAREDCOS_CAP_V2 ? Math.rint(t) : (long) t;
            }
        } else {
            runSigmas = new double[ts.length];
            for (int i = 0; i < ts.length; i++) {
                runSigmas[i] = NumpyCompat.interp(ts[i], trainSigmas);
            }
        }
        this.sigmas = NumpyCompat.withFinalSigma(runSigmas, NumpyCompat.finalSigma(schedule, !finalSigmaZero));
        this.timesteps = ts;
        this.modelOutputs = new float[solverOrder][];
        this.lowerOrderNums = 0;
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

    /** α_t = 1/√(σ²+1) of a k-diffusion σ, float32. */
    private static float alphaOf(float sigma) {
        return 1f / (float) Math.sqrt(sigma * sigma + 1f);
    }

    @Override
    public StepOutput step(float[] modelOutput, double timestep, float[] sample, NoiseSource noise) {
        requireTimesteps();
        NumpyCompat.checkSameLength(modelOutput, "modelOutput", sample, "sample");
        if (stepIndex < 0) {
            stepIndex = NumpyCompat.indexForTimestep(timesteps, timestep, true);
        }
        if (stepIndex >= timesteps.length) {
            throw new IllegalStateException(name() + ": all " + timesteps.length
                    + " steps of this run are done; call setTimesteps to start another");
        }
        int count = timesteps.length;
        // Lower the order at the end of short runs, for numerical stability (diffusers' rule).
        boolean lowerOrderFinalStep = stepIndex == count - 1
                && (eulerAtFinal || (lowerOrderFinal && count < 15) || finalSigmaZero);
        boolean lowerOrderSecond = stepIndex == count - 2 && lowerOrderFinal && count < 15;

        float[] converted = convertModelOutput(modelOutput, sample);
        for (int i = 0; i < solverOrder - 1; i++) {
            modelOutputs[i] = modelOutputs[i + 1];
        }
        modelOutputs[solverOrder - 1] = converted;

        float[] prev;
        if (solverOrder == 1 || lowerOrderNums < 1 || lowerOrderFinalStep) {
            prev = firstOrderUpdate(converted, sample);
        } else if (solverOrder == 2 || lowerOrderNums < 2 || lowerOrderSecond) {
            prev = secondOrderUpdate(sample);
        } else {
            prev = thirdOrderUpdate(sample);
        }
        if (lowerOrderNums < solverOrder) {
            lowerOrderNums++;
        }
        stepIndex++;
        return new StepOutput(prev, dataPrediction ? converted : null);
    }

    /** x̂0 (DPM-Solver++) or ε̂ (DPM-Solver) from the network output. */
    private float[] convertModelOutput(float[] modelOutput, float[] sample) {
        int n = sample.length;
        float sigma = sigmas[stepIndex];
        float alphaT = alphaOf(sigma);
        float sigmaT = sigma * alphaT;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = dataPrediction ? predictionType.originalSample(modelOutput[i], sample[i], alphaT, sigmaT)
                    : predictionType.noise(modelOutput[i], sample[i], alphaT, sigmaT);
        }
        return out;
    }

    /** λ = log α − log σ of a k-diffusion σ (float32; +∞ for σ = 0). */
    private static float lambdaOf(float alpha, float sigma) {
        return (float) Math.log(alpha) - (float) Math.log(sigma);
    }

    private float[] firstOrderUpdate(float[] m, float[] sample) {
        float sigmaNext = sigmas[stepIndex + 1];
        float sigmaNow = sigmas[stepIndex];
        float alphaT = alphaOf(sigmaNext);
        float sigmaT = sigmaNext * alphaT;
        float alphaS = alphaOf(sigmaNow);
        float sigmaS = sigmaNow * alphaS;
        float h = lambdaOf(alphaT, sigmaT) - lambdaOf(alphaS, sigmaS);
        float sampleCoefficient;
        float outputCoefficient;
        if (dataPrediction) {
            sampleCoefficient = sigmaT / sigmaS;
            outputCoefficient = alphaT * ((float) Math.exp(-h) - 1f);
        } else {
            sampleCoefficient = alphaT / alphaS;
            outputCoefficient = sigmaT * ((float) Math.exp(h) - 1f);
        }
        float[] prev = new float[sample.length];
        for (int i = 0; i < prev.length; i++) {
            prev[i] = sampleCoefficient * sample[i] - outputCoefficient * m[i];
        }
        return prev;
    }

    private float[] secondOrderUpdate(float[] sample) {
        float sigmaNext = sigmas[stepIndex + 1];
        float sigmaS0 = sigmas[stepIndex];
        float sigmaS1 = sigmas[stepIndex - 1];
        float alphaT = alphaOf(sigmaNext);
        float sigmaT = sigmaNext * alphaT;
        float alphaS0 = alphaOf(sigmaS0);
        float sigmaTS0 = sigmaS0 * alphaS0;
        float alphaS1 = alphaOf(sigmaS1);
        float sigmaTS1 = sigmaS1 * alphaS1;
        float lambdaT = lambdaOf(alphaT, sigmaT);
        float lambdaS0 = lambdaOf(alphaS0, sigmaTS0);
        float lambdaS1 = lambdaOf(alphaS1, sigmaTS1);
        float[] m0 = modelOutputs[solverOrder - 1];
        float[] m1 = modelOutputs[solverOrder - 2];
        float h = lambdaT - lambdaS0;
        float h0 = lambdaS0 - lambdaS1;
        float r0 = h0 / h;
        float inverseR0 = 1f / r0;
        float sampleCoefficient;
        float d0Coefficient;
        float d1Coefficient;
        boolean subtractD1;
        if (dataPrediction) {
            sampleCoefficient = sigmaT / sigmaTS0;
            d0Coefficient = alphaT * ((float) Math.exp(-h) - 1f);
            if (heun) {
                d1Coefficient = alphaT * (((float) Math.exp(-h) - 1f) / h + 1f);
                subtractD1 = false;
            } else {
                d1Coefficient = 0.5f * d0Coefficient;
                subtractD1 = true;
            }
        } else {
            sampleCoefficient = alphaT / alphaS0;
            d0Coefficient = sigmaT * ((float) Math.exp(h) - 1f);
            d1Coefficient = heun ? sigmaT * (((float) Math.exp(h) - 1f) / h - 1f) : 0.5f * d0Coefficient;
            subtractD1 = true;
        }
        float[] prev = new float[sample.length];
        for (int i = 0; i < prev.length; i++) {
            float d1 = inverseR0 * (m0[i] - m1[i]);
            float value = sampleCoefficient * sample[i] - d0Coefficient * m0[i];
            prev[i] = subtractD1 ? value - d1Coefficient * d1 : value + d1Coefficient * d1;
        }
        return prev;
    }

    private float[] thirdOrderUpdate(float[] sample) {
        float sigmaNext = sigmas[stepIndex + 1];
        float alphaT = alphaOf(sigmaNext);
        float sigmaT = sigmaNext * alphaT;
        float[] alphaS = new float[3];
        float[] sigmaS = new float[3];
        float[] lambdaS = new float[3];
        for (int k = 0; k < 3; k++) {
            float sigma = sigmas[stepIndex - k];
            alphaS[k] = alphaOf(sigma);
            sigmaS[k] = sigma * alphaS[k];
            lambdaS[k] = lambdaOf(alphaS[k], sigmaS[k]);
        }
        float lambdaT = lambdaOf(alphaT, sigmaT);
        float[] m0 = modelOutputs[2];
        float[] m1 = modelOutputs[1];
        float[] m2 = modelOutputs[0];
        float h = lambdaT - lambdaS[0];
        float h0 = lambdaS[0] - lambdaS[1];
        float h1 = lambdaS[1] - lambdaS[2];
        float r0 = h0 / h;
        float r1 = h1 / h;
        float inverseR0 = 1f / r0;
        float inverseR1 = 1f / r1;
        float d1Weight = r0 / (r0 + r1);
        float d2Weight = 1f / (r0 + r1);
        float sampleCoefficient;
        float c0;
        float c1;
        float c2;
        if (dataPrediction) {
            float expMinusH = (float) Math.exp(-h);
            sampleCoefficient = sigmaT / sigmaS[0];
            c0 = -(alphaT * (expMinusH - 1f));
            c1 = alphaT * ((expMinusH - 1f) / h + 1f);
            c2 = -(alphaT * ((expMinusH - 1f + h) / (h * h) - 0.5f));
        } else {
            float expH = (float) Math.exp(h);
            sampleCoefficient = alphaT / alphaS[0];
            c0 = -(sigmaT * (expH - 1f));
            c1 = -(sigmaT * ((expH - 1f) / h - 1f));
            c2 = -(sigmaT * ((expH - 1f - h) / (h * h) - 0.5f));
        }
        float[] prev = new float[sample.length];
        for (int i = 0; i < prev.length; i++) {
            float d10 = inverseR0 * (m0[i] - m1[i]);
            float d11 = inverseR1 * (m1[i] - m2[i]);
            float d1 = d10 + d1Weight * (d10 - d11);
            float d2 = d2Weight * (d10 - d11);
            prev[i] = sampleCoefficient * sample[i] + c0 * m0[i] + c1 * d1 + c2 * d2;
        }
        return prev;
    }

    /** α_t·x + σ_t·ε with the k-diffusion σ at the timestep's index. */
    @Override
    public float[] addNoise(float[] originalSample, float[] noise, double timestep) {
        requireTimesteps();
        NumpyCompat.checkSameLength(originalSample, "originalSample", noise, "noise");
        float sigma = sigmas[NumpyCompat.indexForTimestep(timesteps, timestep, true)];
        float alphaT = alphaOf(sigma);
        float sigmaT = sigma * alphaT;
        float[] out = new float[originalSample.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = alphaT * originalSample[i] + sigmaT * noise[i];
        }
        return out;
    }

    private void requireTimesteps() {
        if (timesteps == null) {
            throw new IllegalStateException(name() + ": call setTimesteps(numInferenceSteps) before timesteps() or "
                    + "step()");
        }
    }
}
