package org.ijgenai.testing;

import org.ijgenai.core.noise.BetaSchedule;

/**
 * ᾱ_t written out in double precision from the formulas of diffusers' DDPMScheduler ({@code scheduling_ddpm.py}
 * and {@code betas_for_alpha_bar}), independently of {@code NoiseSchedule}: the tests' hand-computed reference.
 */
public final class DiffusersFormulas {

    private DiffusersFormulas() {}

    /** β_t for t = 0…n−1. */
    public static double[] betas(BetaSchedule schedule, int n, double start, double end) {
        double[] betas = new double[n];
        for (int i = 0; i < n; i++) {
            double f = (double) i / (n - 1);
            switch (schedule) {
                case LINEAR -> betas[i] = start + f * (end - start);
                case SCALED_LINEAR -> {
                    double root = Math.sqrt(start) + f * (Math.sqrt(end) - Math.sqrt(start));
                    betas[i] = root * root;
                }
                case SQUAREDCOS_CAP_V2 -> {
                    double a1 = Math.pow(Math.cos(((double) i / n + 0.008) / 1.008 * Math.PI / 2), 2);
                    double a2 = Math.pow(Math.cos(((double) (i + 1) / n + 0.008) / 1.008 * Math.PI / 2), 2);
                    betas[i] = Math.min(1 - a2 / a1, 0.999);
                }
                case SIGMOID -> betas[i] = 1 / (1 + Math.exp(-(-6 + 12 * f))) * (end - start) + start;
                default -> throw new IllegalStateException("unhandled " + schedule);
            }
        }
        return betas;
    }

    /** ᾱ_t = ∏_{s≤t} (1 − β_s) for t = 0…n−1. */
    public static double[] alphaBar(BetaSchedule schedule, int n, double start, double end) {
        double[] betas = betas(schedule, n, start, end);
        double[] alphaBar = new double[n];
        double product = 1;
        for (int i = 0; i < n; i++) {
            product *= 1 - betas[i];
            alphaBar[i] = product;
        }
        return alphaBar;
    }
}
