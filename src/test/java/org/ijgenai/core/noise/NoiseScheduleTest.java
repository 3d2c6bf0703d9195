package org.ijgenai.core.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** ᾱ_t of every β-schedule against diffusers' formulas evaluated independently in float64. */
class NoiseScheduleTest {

    private static final int T = 1000;
    private static final int[] PROBES = {0, 1, 10, 100, 250, 500, 750, 900, 999};

    /** ∏_{s ≤ t} (1 − β_s) in float64. */
    private static double alphaBar(IntToDoubleFunction beta, int t) {
        double product = 1;
        for (int s = 0; s <= t; s++) {
            product *= 1 - beta.applyAsDouble(s);
        }
        return product;
    }

    private static void assertMatches(NoiseSchedule schedule, IntToDoubleFunction beta) {
        for (int t : PROBES) {
            assertEquals(alphaBar(beta, t), schedule.alphaCumprod(t), 1e-6, "ᾱ at t=" + t);
            assertEquals(beta.applyAsDouble(t), schedule.beta(t), 1e-6, "β at t=" + t);
        }
    }

    @Test
    void linearAlphaBarMatchesDiffusersFormula() {
        NoiseSchedule schedule = NoiseSchedule.of(BetaSchedule.LINEAR, T, 0.0001, 0.02);
        assertEquals(0.9999, schedule.alphaCumprod(0), 1e-7);
        assertMatches(schedule, s -> 0.0001 + (0.02 - 0.0001) * s / (T - 1));
    }

    @Test
    void scaledLinearAlphaBarMatchesDiffusersFormula() {
        NoiseSchedule schedule = NoiseSchedule.of(BetaSchedule.SCALED_LINEAR, T, 0.00085, 0.012);
        assertEquals(1 - 0.00085, schedule.alphaCumprod(0), 1e-7);
        double a = Math.sqrt(0.00085);
        double b = Math.sqrt(0.012);
        assertMatches(schedule, s -> Math.pow(a + (b - a) * s / (T - 1), 2));
    }

    @Test
    void squaredcosCapV2AlphaBarMatchesDiffusersFormula() {
        NoiseSchedule schedule = NoiseSchedule.of(BetaSchedule.SQUAREDCOS_CAP_V2, T, 0.0001, 0.02);
        IntToDoubleFunction f = i -> Math.pow(Math.cos(((double) i / T + 0.008) / 1.008 * Math.PI / 2), 2);
        assertMatches(schedule, s -> Math.min(1 - f.applyAsDouble(s + 1) / f.applyAsDouble(s), 0.999));
        // Uncapped, the product telescopes to f((t+1)/T) / f(0).
        assertEquals(f.applyAsDouble(501) / f.applyAsDouble(0), schedule.alphaCumprod(500), 1e-6);
        assertEquals(0.999, schedule.beta(999), 1e-7);
    }

    @Test
    void sigmoidAlphaBarMatchesDiffusersFormula() {
        NoiseSchedule schedule = NoiseSchedule.of(BetaSchedule.SIGMOID, T, 0.0001, 0.02);
        assertMatches(schedule, s -> {
            double x = -6 + 12.0 * s / (T - 1);
            return 1 / (1 + Math.exp(-x)) * (0.02 - 0.0001) + 0.0001;
        });
    }

    @Test
    void forwardProcessUsesFloat32Coefficients() {
        NoiseSchedule schedule = NoiseSchedule.of(BetaSchedule.SCALED_LINEAR, T, 0.00085, 0.012);
        float[] x0 = {1f, -0.5f};
        float[] noise = {0.25f, 2f};
        float[] out = new float[2];
        schedule.addNoise(x0, noise, 700, out);
        float a = schedule.alphaCumprod(700);
        float signal = (float) Math.sqrt(a);
        float sigma = (float) Math.sqrt(1f - a);
        assertEquals(signal * 1f + sigma * 0.25f, out[0], 0f);
        assertEquals(signal * -0.5f + sigma * 2f, out[1], 0f);
        assertEquals(Math.sqrt(a) * 1 + Math.sqrt(1 - a) * 0.25, out[0], 1e-6);
    }

    @Test
    void invalidParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.of(BetaSchedule.LINEAR, 1, 0.0001, 0.02));
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.of(BetaSchedule.LINEAR, T, 0, 0.02));
        assertThrows(IllegalArgumentException.class, () -> BetaSchedule.fromConfigName("cubic"));
        assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.ofTrainedBetas(new double[] {0.1}));
    }
    @Test
    void zeroTerminalSnrRescalingMatchesLinEtAlAlgorithm1() {
        NoiseSchedule original = NoiseSchedule.of(BetaSchedule.SCALED_LINEAR, T, 0.00085, 0.012);
        NoiseSchedule rescaled = original.withZeroTerminalSnr();
        assertEquals(0f, rescaled.alphaCumprod(T - 1));
        assertEquals(1f, rescaled.beta(T - 1));
        double first = Math.sqrt(original.alphaCumprod(0));
        double last = Math.sqrt(original.alphaCumprod(T - 1));
        for (int t : PROBES) {
            // √ᾱ'_t = (√ᾱ_t − √ᾱ_T) · √ᾱ_0 / (√ᾱ_0 − √ᾱ_T)
            double expected = Math.pow((Math.sqrt(original.alphaCumprod(t)) - last) * first / (first - last), 2);
            assertEquals(expected, rescaled.alphaCumprod(t), 1e-6, "ᾱ at t=" + t);
        }
        assertEquals(original.alphaCumprod(0), rescaled.alphaCumprod(0), 1e-6);
    }
}
