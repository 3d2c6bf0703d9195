package org.ijgenai.core.scheduler;

import static org.ijgenai.core.scheduler.DiffusersTestKit.COUNT;
import static org.ijgenai.core.scheduler.DiffusersTestKit.dummyModel;
import static org.ijgenai.core.scheduler.DiffusersTestKit.dummySampleDeter;
import static org.ijgenai.core.scheduler.DiffusersTestKit.meanAbs;
import static org.ijgenai.core.scheduler.DiffusersTestKit.sumAbs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ijgenai.core.random.NoiseSource;
import org.junit.jupiter.api.Test;

/** Ports of diffusers' {@code tests/schedulers/test_scheduler_lcm.py}, with its numbers and tolerances. */
class LcmSchedulerTest {

    /** diffusers' LCM test config: 1000 steps, scaled_linear 0.00085–0.012, epsilon. */
    private static SchedulerConfig config() {
        return SchedulerConfig.builder().numTrainTimesteps(1000).betaStart(0.00085).betaEnd(0.0120)
                .betaSchedule("scaled_linear").predictionType("epsilon").build();
    }

    private static float[] fullLoop(int steps, NoiseSource noise) {
        LcmScheduler scheduler = new LcmScheduler(config());
        scheduler.setTimesteps(steps);
        float[] sample = dummySampleDeter();
        for (double t : scheduler.timesteps()) {
            sample = scheduler.step(dummyModel(sample, t), t, sample, noise).prevSample();
        }
        return sample;
    }

    @Test
    void lcmOneStepMatchesDiffusers() {
        DiffusersTestKit.ZeroNoise noise = new DiffusersTestKit.ZeroNoise();
        float[] sample = fullLoop(1, noise);
        assertEquals(18.7097, sumAbs(sample), 1e-3);
        assertEquals(0.0244, meanAbs(sample), 1e-3);
        assertEquals(0, noise.draws);
    }

    @Test
    void lcmMultistepWithTorchNoiseMatchesDiffusers() {
        float[] sample = fullLoop(10, new DiffusersTestKit.TorchSeed0Noise());
        assertEquals(197.7616, sumAbs(sample), 1e-3);
        assertEquals(0.2575, meanAbs(sample), 1e-3);
    }

    @Test
    void fourStepTimestepsAreTheKnownLcmSchedule() {
        LcmScheduler scheduler = new LcmScheduler(config());
        scheduler.setTimesteps(4);
        assertArrayEquals(new double[] {999, 759, 499, 259}, scheduler.timesteps());
        scheduler.setTimesteps(1);
        assertArrayEquals(new double[] {999}, scheduler.timesteps());
    }

    @Test
    void everyStepButTheLastDrawsNoise() {
        DiffusersTestKit.ZeroNoise noise = new DiffusersTestKit.ZeroNoise();
        fullLoop(4, noise);
        assertEquals(3, noise.draws);
        assertEquals(3 * COUNT, noise.values);
    }

    @Test
    void tooManyStepsAndMissingNoiseAreRejected() {
        LcmScheduler scheduler = new LcmScheduler(config());
        assertThrows(IllegalArgumentException.class, () -> scheduler.setTimesteps(51));
        scheduler.setTimesteps(2);
        float[] sample = dummySampleDeter();
        assertThrows(IllegalArgumentException.class, () -> scheduler.step(sample, 999, sample, null));
    }
}
