package org.ijgenai.core.scheduler;

import static org.ijgenai.core.scheduler.DiffusersTestKit.dummyModel;
import static org.ijgenai.core.scheduler.DiffusersTestKit.dummySampleDeter;
import static org.ijgenai.core.scheduler.DiffusersTestKit.linearConfig;
import static org.ijgenai.core.scheduler.DiffusersTestKit.meanAbs;
import static org.ijgenai.core.scheduler.DiffusersTestKit.sumAbs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Ports of diffusers' {@code tests/schedulers/test_scheduler_pndm.py}, with its numbers and tolerances. */
class PndmSchedulerTest {

    /** diffusers' full loop: all PRK steps with step_prk, then all PLMS steps with step_plms. */
    private static float[] fullLoop(SchedulerConfig config) {
        PndmScheduler scheduler = new PndmScheduler(config);
        scheduler.setTimesteps(10);
        float[] sample = dummySampleDeter();
        for (double t : scheduler.prkTimesteps()) {
            sample = scheduler.stepPrk(dummyModel(sample, t), t, sample).prevSample();
        }
        for (double t : scheduler.plmsTimesteps()) {
            sample = scheduler.stepPlms(dummyModel(sample, t), t, sample).prevSample();
        }
        return sample;
    }

    @Test
    void pndmPrkThenPlmsFullLoopMatchesDiffusers() {
        float[] sample = fullLoop(linearConfig(1000).build());
        assertEquals(198.1318, sumAbs(sample), 1e-2);
        assertEquals(0.2580, meanAbs(sample), 1e-3);
    }

    @Test
    void pndmFullLoopWithVPredictionMatchesDiffusers() {
        float[] sample = fullLoop(linearConfig(1000).predictionType("v_prediction").build());
        assertEquals(67.3986, sumAbs(sample), 1e-2);
        assertEquals(0.0878, meanAbs(sample), 1e-3);
    }

    @Test
    void pndmFullLoopWithSetAlphaToOneMatchesDiffusers() {
        float[] sample = fullLoop(linearConfig(1000).setAlphaToOne(true).betaStart(0.01).build());
        assertEquals(230.0399, sumAbs(sample), 1e-2);
        assertEquals(0.2995, meanAbs(sample), 1e-3);
    }

    @Test
    void pndmFullLoopWithoutSetAlphaToOneMatchesDiffusers() {
        float[] sample = fullLoop(linearConfig(1000).setAlphaToOne(false).betaStart(0.01).build());
        assertEquals(186.9482, sumAbs(sample), 1e-2);
        assertEquals(0.2434, meanAbs(sample), 1e-3);
    }

    @Test
    void genericStepDispatchesLikeStepPrkAndStepPlms() {
        PndmScheduler scheduler = new PndmScheduler(linearConfig(1000).build());
        scheduler.setTimesteps(10);
        float[] sample = dummySampleDeter();
        for (double t : scheduler.timesteps()) {
            sample = scheduler.step(dummyModel(sample, t), t, sample, null).prevSample();
        }
        assertArrayEquals(fullLoop(linearConfig(1000).build()), sample);
    }

    @Test
    void prkTimestepsWithStepsOffsetMatchDiffusers() {
        PndmScheduler scheduler = new PndmScheduler(linearConfig(1000).stepsOffset(1).build());
        scheduler.setTimesteps(10);
        assertArrayEquals(new double[] {901, 851, 851, 801, 801, 751, 751, 701, 701, 651, 651, 601, 601, 501, 401,
            301, 201, 101, 1}, scheduler.timesteps());
    }

    @Test
    void skipPrkStepsRepeatsTheSecondTimestep() {
        PndmScheduler scheduler = new PndmScheduler(linearConfig(1000).stepsOffset(1)
                .set(SchedulerConfig.SKIP_PRK_STEPS, true).build());
        scheduler.setTimesteps(10);
        assertArrayEquals(new double[] {901, 801, 801, 701, 601, 501, 401, 301, 201, 101, 1}, scheduler.timesteps());
        scheduler.setTimesteps(1);
        assertArrayEquals(new double[] {1}, scheduler.timesteps());
    }

    @Test
    void powerOfThreeStepCountRunsPrk() {
        PndmScheduler scheduler = new PndmScheduler(linearConfig(1000).build());
        scheduler.setTimesteps(27);
        float[] sample = dummySampleDeter();
        float[] residual = DiffusersTestKit.times(sample, 0.1);
        double[] prk = scheduler.prkTimesteps();
        for (int i = 0; i < 2; i++) {
            sample = scheduler.stepPrk(residual, prk[i], sample).prevSample();
        }
        assertEquals(DiffusersTestKit.COUNT, sample.length);
    }

    @Test
    void plmsWithoutPastResidualsFails() {
        PndmScheduler scheduler = new PndmScheduler(linearConfig(1000).build());
        float[] sample = dummySampleDeter();
        assertThrows(IllegalStateException.class, () -> scheduler.stepPlms(sample, 1, sample));
        scheduler.setTimesteps(10);
        assertThrows(IllegalStateException.class, () -> scheduler.stepPlms(sample, 1, sample));
    }

    @Test
    void prkStepsBeyondTheWarmUpFail() {
        PndmScheduler scheduler = new PndmScheduler(linearConfig(1000).set(SchedulerConfig.SKIP_PRK_STEPS, true)
                .build());
        scheduler.setTimesteps(10);
        float[] sample = dummySampleDeter();
        assertThrows(IllegalStateException.class, () -> scheduler.stepPrk(sample, 901, sample));
        assertThrows(IllegalArgumentException.class, () -> scheduler.stepPlms(sample, 900.5, sample));
    }

    @Test
    void samplePredictionIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new PndmScheduler(linearConfig(1000).predictionType("sample").build()));
    }
}
