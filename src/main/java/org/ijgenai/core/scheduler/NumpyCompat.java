package org.ijgenai.core.scheduler;

import org.ijgenai.core.noise.NoiseSchedule;

/**
 * The few numpy routines diffusers' schedulers build their timesteps and σ with, reproduced operation for operation
 * in float64 so that rounding and interpolation land on the same values.
 */
final class NumpyCompat {

    private NumpyCompat() {}

    /** {@code np.linspace(start, stop, num)}: i·step + start in float64, with the last value set to stop. */
    static double[] linspace(double start, double stop, int num) {
        if (num < 1) {
            return new double[0];
        }
        double[] out = new double[num];
        if (num == 1) {
            out[0] = start;
            return out;
        }
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) {
            out[i] = step == 0 ? i / (double) (num - 1) * (stop - start) + start : i * step + start;
        }
        out[num - 1] = stop;
        return out;
    }

    /**
     * {@code np.arange(start, stop, step)} for floats: ceil((stop − start) / step) values, the second one start +
     * step and the rest start + i·(second − start), as numpy's fill routine computes them.
     */
    static double[] arange(double start, double stop, double step) {
        if (step == 0) {
            throw new IllegalArgumentException("arange step must not be 0");
        }
        long length = (long) Math.ceil((stop - start) / step);
        if (length <= 0) {
            return new double[0];
        }
        double[] out = new double[Math.toIntExact(length)];
        out[0] = start;
        if (out.length > 1) {
            out[1] = start + step;
            double delta = out[1] - start;
            for (int i = 2; i < out.length; i++) {
                out[i] = start + i * delta;
            }
        }
        return out;
    }

    /**
     * {@code np.interp(x, np.arange(len(fp)), fp)}: piecewise-linear interpolation on the integer grid, clamped to
     * the end values, in float64 with numpy's slope·(x − x_j) + y_j formula.
     */
    static double interp(double x, float[] fp) {
        int last = fp.length - 1;
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x <= 0) {
            return fp[0];
        }
        if (x >= last) {
            return fp[last];
        }
        int j = (int) Math.floor(x);
        // numpy's slope (y_{j+1} − y_j) / (x_{j+1} − x_j) with x_{j+1} − x_j = 1.
        double slope = (double) fp[j + 1] - fp[j];
        return slope * (x - j) + fp[j];
    }

    /**
     * The σ spacing of Karras et al. (2022), ρ = 7, as k-diffusion and diffusers compute it: (σ_max^(1/ρ) +
     * ramp·(σ_min^(1/ρ) − σ_max^(1/ρ)))^ρ with ramp = linspace(0, 1, n).
     */
    static double[] karrasSigmas(double sigmaMin, double sigmaMax, int n) {
        double rho = 7.0;
        double[] ramp = linspace(0, 1, n);
        double minInvRho = Math.pow(sigmaMin, 1 / rho);
        double maxInvRho = Math.pow(sigmaMax, 1 / rho);
        double[] sigmas = new double[n];
        for (int i = 0; i < n; i++) {
            sigmas[i] = Math.pow(maxInvRho + ramp[i] * (minInvRho - maxInvRho), rho);
        }
        return sigmas;
    }

    /**
     * diffusers' {@code _sigma_to_t}: the fractional training timestep whose log σ matches, by linear interpolation
     * in log σ between neighbouring training steps.
     *
     * @param logSigmas log σ_t of the training steps, increasing with t (float32 as numpy holds them)
     */
    static double sigmaToT(double sigma, float[] logSigmas) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        // np.cumsum(dists >= 0).argmax() is the first maximum of the running count, i.e. the last log σ_t ≤ log σ
        // (0 when there is none).
        int low = 0;
        for (int i = 0; i < logSigmas.length; i++) {
            if (logSigma - logSigmas[i] >= 0) {
                low = i;
            }
        }
        low = Math.min(low, logSigmas.length - 2);
        int high = low + 1;
        double lowValue = logSigmas[low];
        double highValue = logSigmas[high];
        double w = (lowValue - logSigma) / (lowValue - highValue);
        w = Math.min(Math.max(w, 0), 1);
        return (1 - w) * low + w * high;
    }

    /**
     * diffusers' {@code index_for_timestep}: the position of {@code timestep} in the schedule, taking the second
     * match when it occurs twice, so that a run started mid-schedule (img2img) does not skip a σ.
     *
     * @param lastWhenMissing DPM-Solver's behaviour: the last index when the timestep does not occur
     * @throws IllegalArgumentException when the timestep does not occur and {@code lastWhenMissing} is false
     */
    static int indexForTimestep(double[] schedule, double timestep, boolean lastWhenMissing) {
        int first = -1;
        for (int i = 0; i < schedule.length; i++) {
            if (schedule[i] == timestep) {
                if (first >= 0) {
                    return i;
                }
                first = i;
            }
        }
        if (first >= 0) {
            return first;
        }
        if (lastWhenMissing) {
            return schedule.length - 1;
        }
        throw new IllegalArgumentException("timestep " + timestep + " is not one of this run's timesteps");
    }

    /** Train-time σ_t = √((1 − ᾱ_t) / ᾱ_t), computed in float32 as diffusers' torch code does. */
    static float[] trainSigmas(float[] alphasCumprod) {
        float[] sigmas = new float[alphasCumprod.length];
        for (int t = 0; t < sigmas.length; t++) {
            float a = alphasCumprod[t];
            sigmas[t] = (float) Math.sqrt((1f - a) / a);
        }
        return sigmas;
    }

    /**
     * ᾱ_t for the σ-based schedulers (a fresh copy): under rescale_betas_zero_snr, ᾱ_T becomes 2^−24, the smallest
     * positive float16 subnormal, which diffusers uses to keep the first σ finite.
     */
    static float[] alphasCumprodForSigmas(NoiseSchedule schedule, boolean zeroTerminalSnr) {
        float[] alphasCumprod = schedule.alphasCumprod();
        if (zeroTerminalSnr) {
            alphasCumprod[alphasCumprod.length - 1] = 0x1p-24f;
        }
        return alphasCumprod;
    }

    /**
     * The σ a run ends on, diffusers' final_sigmas_type: 0 ("zero"), or ("sigma_min") the train-time σ_0 =
     * √((1 − ᾱ_0) / ᾱ_0) in float32.
     */
    static float finalSigma(NoiseSchedule schedule, boolean sigmaMin) {
        if (!sigmaMin) {
            return 0f;
        }
        float a0 = schedule.alphaCumprod(0);
        return (float) Math.sqrt((1f - a0) / a0);
    }

    /** The run's σ in float32 with {@code finalSigma} appended, as diffusers concatenates them. */
    static float[] withFinalSigma(double[] runSigmas, float finalSigma) {
        float[] all = new float[runSigmas.length + 1];
        for (int i = 0; i < runSigmas.length; i++) {
            all[i] = (float) runSigmas[i];
        }
        all[runSigmas.length] = finalSigma;
        return all;
    }

    /** {@code np.log} of a float32 array, kept in float32. */
    static float[] logFloat32(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.log(values[i]);
        }
        return out;
    }

    /**
     * The timesteps of diffusers' DDPM-family schedulers (DDIM, PNDM) for a spacing, in decreasing order:
     * round(linspace(0, T − 1, n)), "leading" or "trailing".
     */
    static double[] ddpmTimesteps(TimestepSpacing spacing, int numTrainTimesteps, int n, int stepsOffset) {
        switch (spacing) {
            case LINSPACE: {
                double[] grid = linspace(0, numTrainTimesteps - 1, n);
                double[] out = new double[n];
                for (int i = 0; i < n; i++) {
                    out[i] = Math.rint(grid[n - 1 - i]);
                }
                return out;
            }
            case LEADING:
                return leadingTimesteps(numTrainTimesteps, n, stepsOffset);
            case TRAILING:
                return trailingTimesteps(numTrainTimesteps, n);
            default:
                throw new IllegalStateException("unhandled spacing " + spacing);
        }
    }

    /**
     * "leading" spacing as diffusers' DDPM-family schedulers build it: (arange(0, n)·(T // n)) reversed, plus
     * {@code steps_offset}.
     */
    static double[] leadingTimesteps(int numTrainTimesteps, int n, int stepsOffset) {
        int stepRatio = numTrainTimesteps / n;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = (double) (n - 1 - i) * stepRatio + stepsOffset;
        }
        return out;
    }

    /** "trailing" spacing: round(arange(T, 0, −T / n)) − 1, in decreasing order. */
    static double[] trailingTimesteps(int numTrainTimesteps, int n) {
        double[] out = arange(numTrainTimesteps, 0, -((double) numTrainTimesteps / n));
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.rint(out[i]) - 1;
        }
        return out;
    }

    /** Rejects a step count outside 1..T with diffusers' reason. */
    static void checkStepCount(int numInferenceSteps, int numTrainTimesteps) {
        checkAtLeastOneStep(numInferenceSteps);
        if (numInferenceSteps > numTrainTimesteps) {
            throw new IllegalArgumentException("num_inference_steps (" + numInferenceSteps
                    + ") cannot exceed num_train_timesteps (" + numTrainTimesteps + ")");
        }
    }

    /** Rejects a step count below 1. */
    static void checkAtLeastOneStep(int numInferenceSteps) {
        if (numInferenceSteps < 1) {
            throw new IllegalArgumentException("num_inference_steps must be at least 1, was " + numInferenceSteps);
        }
    }

    /** Checks that two flattened samples have equal lengths. */
    static void checkSameLength(float[] a, String aName, float[] b, String bName) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(aName + " and " + bName + " must have equal lengths, were "
                    + a.length + " and " + b.length);
        }
    }

    /** A training timestep given as a double, checked to be an integer in [0, T). */
    static int trainIndex(double timestep, int numTrainTimesteps) {
        if (timestep != Math.rint(timestep) || timestep < 0 || timestep >= numTrainTimesteps) {
            throw new IllegalArgumentException("timestep must be an integer in [0, " + numTrainTimesteps
                    + "), was " + timestep);
        }
        return (int) timestep;
    }
}
