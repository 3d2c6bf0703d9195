package org.ijgenai.core.scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.ijgenai.core.random.NoiseSource;

/**
 * Linear multistep sampling (k-diffusion's {@code sample_lms}) as diffusers' {@code LMSDiscreteScheduler}:
 * x_{i+1} = x_i + Σ_k c_k·d_{i−k} over the last (up to four) derivatives d = (x − x̂0)/σ, where c_k is the integral
 * from σ_i to σ_{i+1} of the Lagrange basis polynomial of σ_{i−k} on the nodes σ_i … σ_{i−order+1}. Deterministic.
 *
 * <p>diffusers integrates with {@code scipy.integrate.quad}; the integrand is a polynomial of degree ≤ 3, which
 * 3-point Gauss–Legendre quadrature integrates exactly, so the coefficients here are exact up to rounding.
 *
 * <p>Defaults: 1000 steps, linear β 0.0001–0.02, no Karras σ, epsilon, "linspace" spacing, steps_offset 0.
 */
public final class LmsScheduler extends SigmaScheduler {

    /** The highest order, diffusers' default {@code order=4} of {@code step}. */
    public static final int MAX_ORDER = 4;

    private static final double[] GAUSS_NODES = {-Math.sqrt(0.6), 0.0, Math.sqrt(0.6)};
    private static final double[] GAUSS_WEIGHTS = {5.0 / 9.0, 8.0 / 9.0, 5.0 / 9.0};

    private final boolean useKarrasSigmas;
    /** The most recent derivatives, newest first. */
    private final Deque<float[]> derivatives = new ArrayDeque<>();

    /**
     * An LMS scheduler for the given config.
     *
     * @throws IllegalArgumentException for invalid config values
     */
    public LmsScheduler(SchedulerConfig config) {
        super(config, false, "use_exponential_sigmas", "use_beta_sigmas");
        this.useKarrasSigmas = config.getBoolean(SchedulerConfig.USE_KARRAS_SIGMAS, false);
    }

    @Override
    public String name() {
        return "lms";
    }

    @Override
    public void setTimesteps(int steps) {
        double[] ts = spacedTimesteps(steps);
        double[] runSigmas = new double[ts.length];
        for (int i = 0; i < ts.length; i++) {
            runSigmas[i] = NumpyCompat.interp(ts[i], trainSigmas);
        }
        if (useKarrasSigmas) {
            float[] logSigmas = NumpyCompat.logFloat32(trainSigmas);
            runSigmas = NumpyCompat.karrasSigmas(runSigmas[runSigmas.length - 1], runSigmas[0], steps);
            ts = new double[runSigmas.length];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = (float) NumpyCompat.sigmaToT(runSigmas[i], logSigmas);
            }
        }
        startRun(NumpyCompat.withFinalSigma(runSigmas, 0f), ts);
        derivatives.clear();
    }

    /**
     * The LMS coefficient of the derivative {@code currentOrder} steps back, for a step of the given order from
     * step index {@code t}: ∫_{σ_t}^{σ_{t+1}} ∏_{k≠current} (τ − σ_{t−k}) / (σ_{t−current} − σ_{t−k}) dτ.
     */
    public double lmsCoefficient(int order, int t, int currentOrder) {
        requireTimesteps();
        if (order < 1 || order > MAX_ORDER || t - order + 1 < 0 || t + 1 >= sigmas.length || currentOrder < 0
                || currentOrder >= order) {
            throw new IllegalArgumentException("no LMS coefficient for order " + order + ", step " + t
                    + ", term " + currentOrder);
        }
        double from = sigmas[t];
        double to = sigmas[t + 1];
        double half = (to - from) / 2;
        double middle = (to + from) / 2;
        double integral = 0;
        for (int q = 0; q < GAUSS_NODES.length; q++) {
            double tau = middle + half * GAUSS_NODES[q];
            double product = 1.0;
            for (int k = 0; k < order; k++) {
                if (k == currentOrder) {
                    continue;
                }
                product *= (tau - sigmas[t - k]) / ((double) sigmas[t - currentOrder] - sigmas[t - k]);
            }
            integral += GAUSS_WEIGHTS[q] * product;
        }
        return integral * half;
    }

    @Override
    public StepOutput step(float[] modelOutput, double timestep, float[] sample, NoiseSource noise) {
        beginStep(modelOutput, timestep, sample);
        float sigma = sigmas[stepIndex];
        float[] predOriginal = predictOriginal(modelOutput, sample, sigma);
        int n = sample.length;
        float[] derivative = new float[n];
        for (int i = 0; i < n; i++) {
            derivative[i] = (sample[i] - predOriginal[i]) / sigma;
        }
        derivatives.addFirst(derivative);
        if (derivatives.size() > MAX_ORDER) {
            derivatives.removeLast();
        }
        int order = Math.min(stepIndex + 1, MAX_ORDER);
        List<float[]> newestFirst = new ArrayList<>(derivatives);
        float[] sum = new float[n];
        // diffusers zips the order's coefficients with the derivatives it has: a run started mid-schedule (img2img)
        // uses the first coefficients of the higher-order formula until enough derivatives exist.
        int terms = Math.min(order, newestFirst.size());
        for (int k = 0; k < terms; k++) {
            float coefficient = (float) lmsCoefficient(order, stepIndex, k);
            float[] d = newestFirst.get(k);
            for (int i = 0; i < n; i++) {
                sum[i] = sum[i] + coefficient * d[i];
            }
        }
        float[] prev = new float[n];
        for (int i = 0; i < n; i++) {
            prev[i] = sample[i] + sum[i];
        }
        stepIndex++;
        return new StepOutput(prev, predOriginal);
    }
}
