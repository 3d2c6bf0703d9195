package org.ijgenai.core.scheduler;

import static org.ijgenai.core.scheduler.DiffusersTestKit.COUNT;
import static org.ijgenai.core.scheduler.DiffusersTestKit.dummyModel;
import static org.ijgenai.core.scheduler.DiffusersTestKit.dummyNoiseDeter;
import static org.ijgenai.core.scheduler.DiffusersTestKit.dummySampleDeter;
import static org.ijgenai.core.scheduler.DiffusersTestKit.linearConfig;
import static org.ijgenai.core.scheduler.DiffusersTestKit.meanAbs;
import static org.ijgenai.core.scheduler.DiffusersTestKit.sumAbs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Ports of diffusers' {@code tests/schedulers/test_scheduler_ddim.py}, with its numbers and tolerances. */
class DdimSchedulerTest {

    /** diffusers' DDIM test config: 1000 steps, linear 0.0001–0.02, clip_sample true. */
    private static SchedulerConfig.Builder config() {
        return linearConfig(1000).clipSample(true);
    }

    private static float[] fullLoop(SchedulerConfig config) {
        DdimScheduler scheduler = new DdimScheduler(config, 0.0);
        scheduler.setTimesteps(10);
        float[] sample = dummySampleDeter();
        for (double t : scheduler.timesteps()) {
            float[] residual = dummyModel(sample, t);
            sample = scheduler.step(residual, t, sample, null).prevSample();
        }
        return sample;
    }

    @Test
    void ddimFullLoopMatchesDiffusers() {
        float[] sample = fullLoop(config().build());
        assertEquals(172.0067, sumAbs(sample), 1e-2);
        assertEquals(0.223967, meanAbs(sample), 1e-3);
    }

    @Test
    void ddimFullLoopWithVPredictionMatchesDiffusers() {
        float[] sample = fullLoop(config().predictionType("v_prediction").build());
        assertEquals(52.5302, sumAbs(sample), 1e-2);
        assertEquals(0.0684, meanAbs(sample), 1e-3);
    }

    @Test
    void ddimFullLoopWithSetAlphaToOneMatchesDiffusers() {
        float[] sample = fullLoop(config().setAlphaToOne(true).betaStart(0.01).build());
        assertEquals(149.8295, sumAbs(sample), 1e-2);
        assertEquals(0.1951, meanAbs(sample), 1e-3);
    }

    @Test
    void ddimFullLoopWithoutSetAlphaToOneMatchesDiffusers() {
        float[] sample = fullLoop(config().setAlphaToOne(false).betaStart(0.01).build());
        assertEquals(149.0784, sumAbs(sample), 1e-2);
        assertEquals(0.1941, meanAbs(sample), 1e-3);
    }

    @Test
    void ddimFullLoopFromNoisedSampleMatchesDiffusers() {
        DdimScheduler scheduler = new DdimScheduler(config().build(), 0.0);
        scheduler.setTimesteps(10);
        double[] timesteps = Arrays.copyOfRange(scheduler.timesteps(), 8, 10);
        float[] sample = scheduler.addNoise(dummySampleDeter(), dummyNoiseDeter(), timesteps[0]);
        for (double t : timesteps) {
            sample = scheduler.step(dummyModel(sample, t), t, sample, null).prevSample();
        }
        assertEquals(354.5418, sumAbs(sample), 1e-2);
        assertEquals(0.4616, meanAbs(sample), 1e-3);
    }

    @Test
    void leadingTimestepsWithStepsOffsetMatchDiffusers() {
        DdimScheduler scheduler = new DdimScheduler(config().stepsOffset(1).build());
        scheduler.setTimesteps(5);
        assertArrayEquals(new double[] {801, 601, 401, 201, 1}, scheduler.timesteps());
    }

    @Test
    void trailingAndLinspaceTimestepsFollowNumpy() {
        DdimScheduler trailing = new DdimScheduler(config().timestepSpacing("trailing").build());
        trailing.setTimesteps(10);
        assertArrayEquals(new double[] {999, 899, 799, 699, 599, 499, 399, 299, 199, 99}, trailing.timesteps());
        trailing.setTimesteps(3);
        // round(arange(1000, 0, -333.33)) − 1 = [999, 666, 332]
        assertArrayEquals(new double[] {999, 666, 332}, trailing.timesteps());
        DdimScheduler linspace = new DdimScheduler(config().timestepSpacing("linspace").build());
        linspace.setTimesteps(4);
        // round(linspace(0, 999, 4)) = [0, 333, 666, 999]
        assertArrayEquals(new double[] {999, 666, 333, 0}, linspace.timesteps());
    }

    @Test
    void varianceMatchesDiffusers() {
        DdimScheduler scheduler = new DdimScheduler(config().build());
        assertEquals(0.0, scheduler.variance(0, 0), 1e-5);
        assertEquals(0.14771, scheduler.variance(420, 400), 1e-5);
        assertEquals(0.32460, scheduler.variance(980, 960), 1e-5);
        assertEquals(0.00979, scheduler.variance(487, 486), 1e-5);
        assertEquals(0.02, scheduler.variance(999, 998), 1e-5);
    }

    @Test
    void etaAddsVarianceNoiseScaledBySigmaT() {
        float[] z = dummyNoiseDeter();
        DdimScheduler withZero = new DdimScheduler(config().build(), 0.5);
        DdimScheduler withNoise = new DdimScheduler(config().build(), 0.5);
        withZero.setTimesteps(10);
        withNoise.setTimesteps(10);
        float[] sample = dummySampleDeter();
        float[] residual = dummyModel(sample, 501);
        DiffusersTestKit.ZeroNoise zero = new DiffusersTestKit.ZeroNoise();
        float[] deterministic = withZero.step(residual, 501, sample, zero).prevSample();
        float[] noisy = withNoise.step(residual, 501, sample, new DiffusersTestKit.FixedNoise(z)).prevSample();
        assertEquals(1, zero.draws);
        assertEquals(COUNT, zero.values);
        float std = 0.5f * (float) Math.sqrt(withZero.variance(501, 401));
        for (int i = 0; i < COUNT; i++) {
            assertEquals(deterministic[i] + std * z[i], noisy[i], 1e-6);
        }
        assertTrue(std > 0.01);
    }

    @Test
    void etaWithoutNoiseSourceFails() {
        DdimScheduler scheduler = new DdimScheduler(config().build(), 1.0);
        scheduler.setTimesteps(10);
        float[] sample = dummySampleDeter();
        assertThrows(IllegalArgumentException.class, () -> scheduler.step(sample, 901, sample, null));
    }

    @Test
    void stepBeforeSetTimestepsFails() {
        DdimScheduler scheduler = new DdimScheduler(config().build());
        float[] sample = dummySampleDeter();
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> scheduler.step(sample, 1, sample, null));
        assertTrue(error.getMessage().contains("setTimesteps"), error.getMessage());
        assertThrows(IllegalStateException.class, scheduler::timesteps);
    }

    @Test
    void tooManyStepsAreRejected() {
        DdimScheduler scheduler = new DdimScheduler(config().build());
        assertThrows(IllegalArgumentException.class, () -> scheduler.setTimesteps(1001));
        assertThrows(IllegalArgumentException.class, () -> scheduler.setTimesteps(0));
    }
}
