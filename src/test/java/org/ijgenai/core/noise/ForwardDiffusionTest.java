package org.ijgenai.core.noise;

import org.ijgenai.core.diffusion.IntensityRange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.CancelledException;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.random.NumpyRandomState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ForwardDiffusionTest {

    private static final int SIDE = 256;

    private static float[] constant(float value) {
        float[] x = new float[SIDE * SIDE];
        Arrays.fill(x, value);
        return x;
    }

    @ParameterizedTest
    @EnumSource(BetaSchedule.class)
    void constantImageFramesHaveMeanSqrtAlphaBarTimesCAndStdSqrtOneMinusAlphaBar(BetaSchedule which) {
        NoiseSchedule schedule = NoiseSchedule.of(which, 1000, 0.0001, 0.02);
        float c = 0.4f;
        int[] timesteps = TimestepSelection.evenlySpaced(10).resolve(1000);
        float[][] frames = ForwardDiffusion.frames(schedule, constant(c), timesteps, new NumpyRandomState(42),
                CancellationToken.NONE, ProgressListener.NONE);
        int n = SIDE * SIDE;
        for (int k = 0; k < frames.length; k++) {
            double a = schedule.alphaCumprod(timesteps[k]);
            double mean = 0;
            for (float v : frames[k]) {
                mean += v;
            }
            mean /= n;
            double var = 0;
            for (float v : frames[k]) {
                var += (v - mean) * (v - mean);
            }
            double std = Math.sqrt(var / (n - 1));
            double sigma = Math.sqrt(1 - a);
            String where = which.configName() + " t=" + timesteps[k];
            // 5 standard errors of a mean and of a standard deviation of n normal draws.
            assertEquals(Math.sqrt(a) * c, mean, 5 * sigma / Math.sqrt(n) + 1e-6, "mean " + where);
            assertEquals(sigma, std, 5 * sigma / Math.sqrt(2.0 * n) + 1e-6, "std " + where);
        }
    }

    @Test
    void everyFrameUsesTheSameNoiseField() {
        NoiseSchedule schedule = NoiseSchedule.of(BetaSchedule.SCALED_LINEAR, 1000, 0.00085, 0.012);
        float[] x0 = new float[64];
        for (int i = 0; i < x0.length; i++) {
            x0[i] = (i % 9) / 4f - 1;
        }
        int[] timesteps = {0, 300, 999};
        float[] eps = new NumpyRandomState(3).randn(64);
        float[][] frames = ForwardDiffusion.frames(schedule, x0, timesteps, new NumpyRandomState(3),
                CancellationToken.NONE, ProgressListener.NONE);
        for (int k = 0; k < timesteps.length; k++) {
            double a = schedule.alphaCumprod(timesteps[k]);
            for (int i = 0; i < x0.length; i++) {
                double recovered = (frames[k][i] - Math.sqrt(a) * x0[i]) / Math.sqrt(1 - a);
                assertEquals(eps[i], recovered, 2e-4, "ε at t=" + timesteps[k] + " i=" + i);
            }
        }
    }

    @Test
    void seedDeterminesTheFrames() {
        NoiseSchedule schedule = NoiseSchedule.of(BetaSchedule.LINEAR, 1000, 0.0001, 0.02);
        float[] x0 = constant(0.1f);
        int[] t = {500};
        float[] first = ForwardDiffusion.frames(schedule, x0, t, new NumpyRandomState(7), CancellationToken.NONE,
                ProgressListener.NONE)[0];
        float[] again = ForwardDiffusion.frames(schedule, x0, t, new NumpyRandomState(7), CancellationToken.NONE,
                ProgressListener.NONE)[0];
        float[] other = ForwardDiffusion.frames(schedule, x0, t, new NumpyRandomState(8), CancellationToken.NONE,
                ProgressListener.NONE)[0];
        assertArrayEquals(first, again);
        assertFalse(Arrays.equals(first, other));
    }

    @Test
    void progressIsReportedPerFrameAndCancellationStops() {
        NoiseSchedule schedule = NoiseSchedule.of(BetaSchedule.LINEAR, 1000, 0.0001, 0.02);
        AtomicInteger reports = new AtomicInteger();
        ForwardDiffusion.frames(schedule, constant(0), new int[] {1, 2, 3}, new NumpyRandomState(1),
                CancellationToken.NONE, (done, total, message) -> {
                    assertEquals(3, total);
                    assertTrue(message.startsWith("t="), message);
                    reports.incrementAndGet();
                });
        assertEquals(3, reports.get());
        CancellationToken cancel = new CancellationToken();
        cancel.cancel();
        assertThrows(CancelledException.class, () -> ForwardDiffusion.frames(schedule, constant(0), new int[] {1},
                new NumpyRandomState(1), cancel, ProgressListener.NONE));
    }

    @Test
    void evenlySpacedTimestepsIncludeBothEnds() {
        assertArrayEquals(new int[] {0, 250, 500, 749, 999}, TimestepSelection.evenlySpaced(5).resolve(1000));
        assertArrayEquals(new int[] {999}, TimestepSelection.evenlySpaced(1).resolve(1000));
        assertArrayEquals(new int[] {0, 1, 2}, TimestepSelection.evenlySpaced(3).resolve(3));
    }

    @Test
    void explicitListsKeepTheirOrderAndAreCheckedAgainstT() {
        assertArrayEquals(new int[] {0, 250, 500, 999}, TimestepSelection.parseList("0,250, 500 999").resolve(1000));
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class,
                () -> TimestepSelection.parseList("0,1000").resolve(1000));
        assertTrue(outside.getMessage().contains("1000") && outside.getMessage().contains("0…999"),
                outside.getMessage());
        IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
                () -> TimestepSelection.parseList("0,ten"));
        assertTrue(word.getMessage().contains("'ten'"), word.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TimestepSelection.parseList(" , "));
        assertThrows(IllegalArgumentException.class, () -> TimestepSelection.evenlySpaced(1001).resolve(1000));
    }

    @Test
    void requestNamesTheWrongParameter() {
        TimestepSelection ten = TimestepSelection.evenlySpaced(10);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ForwardDiffusionRequest(
                BetaSchedule.LINEAR, 0.0001, 1.5, 1000, ten, 1)).getMessage().contains("beta_end"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ForwardDiffusionRequest(
                BetaSchedule.LINEAR, 0.0001, 0.02, 1000, ten, -1)).getMessage().contains("seed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ForwardDiffusionRequest(
                BetaSchedule.LINEAR, 0.0001, 0.02, 1, ten, 1)).getMessage().contains("training timesteps"));
        // squaredcos_cap_v2 ignores beta_start and beta_end, as in diffusers.
        new ForwardDiffusionRequest(BetaSchedule.SQUAREDCOS_CAP_V2, 0, 0, 1000, ten, 1);
    }

    @Test
    void intensityRangeMapsEndsToMinusOneAndOne() {
        IntensityRange range = new IntensityRange(100, 300);
        assertEquals(-1f, range.toUnit(100));
        assertEquals(1f, range.toUnit(300));
        assertEquals(0f, range.toUnit(200));
        assertEquals(350.0, range.fromUnit(1.5f), 1e-9);
        assertEquals(127.5, IntensityRange.BYTE.fromUnit(0f), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> new IntensityRange(5, 5));
    }
}
