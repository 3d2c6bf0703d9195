package org.ijgenai.core.scheduler;

import static org.ijgenai.core.scheduler.DiffusersTestKit.dummyModel;
import static org.ijgenai.core.scheduler.DiffusersTestKit.dummyNoiseDeter;
import static org.ijgenai.core.scheduler.DiffusersTestKit.dummySampleDeter;
import static org.ijgenai.core.scheduler.DiffusersTestKit.linearConfig;
import static org.ijgenai.core.scheduler.DiffusersTestKit.meanAbs;
import static org.ijgenai.core.scheduler.DiffusersTestKit.sumAbs;
import static org.ijgenai.core.scheduler.DiffusersTestKit.times;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Ports of diffusers' {@code tests/schedulers/test_scheduler_euler.py} (1100 training steps), numbers included. */
class EulerSchedulerTest {

    /**
     * diffusers' full loop, quirk included: the scaled model input is also what is passed to {@code step} as the
     * sample.
     */
    static float[] fullLoop(Scheduler scheduler, int startIndex, boolean addNoise) {
        scheduler.setTimesteps(10);
        float[] sample = times(dummySampleDeter(), scheduler.initNoiseSigma());
        double[] all = scheduler.timesteps();
        double[] timesteps = Arrays.copyOfRange(all, startIndex, all.length);
        if (addNoise) {
            sample = scheduler.addNoise(sample, dummyNoiseDeter(), timesteps[0]);
        }
        for (double t : timesteps) {
            sample = scheduler.scaleModelInput(sample, t);
            float[] output = dummyModel(sample, t);
            sample = scheduler.step(output, t, sample, null).prevSample();
        }
        return sample;
    }

    @Test
    void eulerFullLoopMatchesDiffusers() {
        float[] sample = fullLoop(new EulerScheduler(linearConfig(1100).build()), 0, false);
        assertEquals(10.0807, sumAbs(sample), 1e-2);
        assertEquals(0.0131, meanAbs(sample), 1e-3);
    }

    @Test
    void eulerFullLoopWithVPredictionMatchesDiffusers() {
        float[] sample = fullLoop(new EulerScheduler(linearConfig(1100).predictionType("v_prediction").build()), 0,
                false);
        assertEquals(0.0002, sumAbs(sample), 1e-2);
        assertEquals(2.2676e-06, meanAbs(sample), 1e-3);
    }

    @Test
    void eulerFullLoopWithKarrasSigmasMatchesDiffusers() {
        float[] sample = fullLoop(new EulerScheduler(linearConfig(1100)
                .set(SchedulerConfig.USE_KARRAS_SIGMAS, true).build()), 0, false);
        assertEquals(124.52299499511719, sumAbs(sample), 1e-2);
        assertEquals(0.16213932633399963, meanAbs(sample), 1e-3);
    }

    @Test
    void eulerFullLoopFromNoisedSampleMatchesDiffusers() {
        float[] sample = fullLoop(new EulerScheduler(linearConfig(1100).build()), 8, true);
        assertEquals(57062.9297, sumAbs(sample), 1e-2);
        assertEquals(74.3007, meanAbs(sample), 1e-3);
    }

    @Test
    void linspaceTimestepsAreUnroundedFloat32() {
        EulerScheduler scheduler = new EulerScheduler(linearConfig(1100).build());
        scheduler.setTimesteps(10);
        double[] timesteps = scheduler.timesteps();
        assertEquals(1099.0, timesteps[0]);
        // np.linspace(0, 1099, 10, dtype=float32)[8] = 1099/9 in float32.
        assertEquals((float) (1099.0 / 9), timesteps[8]);
        assertEquals(0.0, timesteps[9]);
        assertEquals(11, scheduler.sigmas().length);
        assertEquals(0f, scheduler.sigmas()[10]);
    }

    @Test
    void unknownTimestepAndStepsPastTheEndFail() {
        EulerScheduler scheduler = new EulerScheduler(linearConfig(1100).build());
        float[] sample = dummySampleDeter();
        assertThrows(IllegalStateException.class, () -> scheduler.scaleModelInput(sample, 1099));
        scheduler.setTimesteps(2);
        assertThrows(IllegalArgumentException.class, () -> scheduler.step(sample, 500.5, sample, null));
        scheduler.setTimesteps(1);
        double only = scheduler.timesteps()[0];
        scheduler.step(sample, only, sample, null);
        assertThrows(IllegalStateException.class, () -> scheduler.step(sample, only, sample, null));
    }

    @Test
    void leadingSpacingScalesInitialNoiseBySqrtSigmaSquaredPlusOne() {
        EulerScheduler scheduler = new EulerScheduler(linearConfig(1000).timestepSpacing("leading").stepsOffset(1)
                .build());
        scheduler.setTimesteps(10);
        float max = scheduler.sigmas()[0];
        assertEquals((float) Math.sqrt(max * max + 1f), scheduler.initNoiseSigma(), 0.0);
        assertEquals(901.0, scheduler.timesteps()[0]);
    }
}
