package org.ijgenai.core.scheduler;

import static org.ijgenai.core.scheduler.DiffusersTestKit.dummyModel;
import static org.ijgenai.core.scheduler.DiffusersTestKit.dummyNoiseDeter;
import static org.ijgenai.core.scheduler.DiffusersTestKit.dummySampleDeter;
import static org.ijgenai.core.scheduler.DiffusersTestKit.linearConfig;
import static org.ijgenai.core.scheduler.DiffusersTestKit.meanAbs;
import static org.ijgenai.core.scheduler.DiffusersTestKit.sumAbs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Ports of diffusers' {@code tests/schedulers/test_scheduler_dpm_multi.py}, with its numbers and tolerances. */
class DpmSolverMultistepSchedulerTest {

    /** diffusers' test config: DPM-Solver++ 2M, midpoint, lower_order_final false, final σ = σ_min. */
    private static SchedulerConfig.Builder config() {
        return linearConfig(1000)
                .set(SchedulerConfig.SOLVER_ORDER, 2)
                .predictionType("epsilon")
                .set(SchedulerConfig.THRESHOLDING, false)
                .set("sample_max_value", 1.0)
                .set(SchedulerConfig.ALGORITHM_TYPE, "dpmsolver++")
                .set(SchedulerConfig.SOLVER_TYPE, "midpoint")
                .set(SchedulerConfig.LOWER_ORDER_FINAL, false)
                .set(SchedulerConfig.EULER_AT_FINAL, false)
                .set(SchedulerConfig.LAMBDA_MIN_CLIPPED, Double.NEGATIVE_INFINITY)
                .set("variance_type", null)
                .set(SchedulerConfig.FINAL_SIGMAS_TYPE, "sigma_min");
    }

    private static float[] fullLoop(SchedulerConfig config) {
        DpmSolverMultistepScheduler scheduler = new DpmSolverMultistepScheduler(config);
        scheduler.setTimesteps(10);
        float[] sample = dummySampleDeter();
        for (double t : scheduler.timesteps()) {
            sample = scheduler.step(dummyModel(sample, t), t, sample, null).prevSample();
        }
        return sample;
    }

    @Test
    void dpmSolverPlusPlus2mFullLoopMatchesDiffusers() {
        assertEquals(0.3301, meanAbs(fullLoop(config().build())), 1e-3);
    }

    @Test
    void dpmSolverFullLoopWithVPredictionMatchesDiffusers() {
        assertEquals(0.2251, meanAbs(fullLoop(config().predictionType("v_prediction").build())), 1e-3);
    }

    @Test
    void dpmSolverWithKarrasSigmasAndVPredictionMatchesDiffusers() {
        assertEquals(0.2096, meanAbs(fullLoop(config().predictionType("v_prediction")
                .set(SchedulerConfig.USE_KARRAS_SIGMAS, true).build())), 1e-3);
    }

    @Test
    void dpmSolverFullLoopFromNoisedSampleMatchesDiffusers() {
        DpmSolverMultistepScheduler scheduler = new DpmSolverMultistepScheduler(config().build());
        scheduler.setTimesteps(10);
        double[] timesteps = Arrays.copyOfRange(scheduler.timesteps(), 5, 10);
        float[] sample = scheduler.addNoise(dummySampleDeter(), dummyNoiseDeter(), timesteps[0]);
        for (double t : timesteps) {
            sample = scheduler.step(dummyModel(sample, t), t, sample, null).prevSample();
        }
        assertEquals(318.4111, sumAbs(sample), 1e-2);
        assertEquals(0.4146, meanAbs(sample), 1e-3);
    }

    @Test
    void allOrdersAndSolverTypesStayFinite() {
        for (String algorithm : new String[] {"dpmsolver", "dpmsolver++"}) {
            for (String solverType : new String[] {"midpoint", "heun"}) {
                for (int order = 1; order <= 3; order++) {
                    for (String prediction : new String[] {"epsilon", "sample"}) {
                        float[] sample = fullLoop(config().set(SchedulerConfig.ALGORITHM_TYPE, algorithm)
                                .set(SchedulerConfig.SOLVER_TYPE, solverType)
                                .set(SchedulerConfig.SOLVER_ORDER, order).predictionType(prediction).build());
                        for (float v : sample) {
                            assertFalse(Float.isNaN(v), algorithm + " " + solverType + " " + order + " " + prediction);
                        }
                    }
                }
            }
        }
    }

    @Test
    void asManyStepsAsTrainingStepsKeepsDuplicatedTimesteps() {
        DpmSolverMultistepScheduler scheduler = new DpmSolverMultistepScheduler(config().build());
        scheduler.setTimesteps(1000);
        double[] timesteps = scheduler.timesteps();
        assertEquals(1000, timesteps.length);
        // round(linspace(0, 999, 1001)) repeats some values, as in diffusers (whose test checks the length only).
        assertTrue(Arrays.stream(timesteps).distinct().count() < 1000);
    }

    @Test
    void lambdaMinClippedDropsTheNoisiestTimesteps() {
        DpmSolverMultistepScheduler unclipped = new DpmSolverMultistepScheduler(config()
                .betaSchedule("squaredcos_cap_v2").build());
        DpmSolverMultistepScheduler clipped = new DpmSolverMultistepScheduler(config()
                .betaSchedule("squaredcos_cap_v2").set(SchedulerConfig.LAMBDA_MIN_CLIPPED, -5.1).build());
        unclipped.setTimesteps(10);
        clipped.setTimesteps(10);
        assertEquals(999.0, unclipped.timesteps()[0]);
        // The cosine schedule's λ falls below −5.1 near t = T, so the run starts earlier.
        assertFalse(clipped.timesteps()[0] >= 999.0);
    }

    @Test
    void finalStepWithZeroSigmaReturnsTheDenoisedSample() {
        DpmSolverMultistepScheduler scheduler = new DpmSolverMultistepScheduler(config()
                .set(SchedulerConfig.FINAL_SIGMAS_TYPE, "zero").build());
        scheduler.setTimesteps(3);
        double[] timesteps = scheduler.timesteps();
        float[] sample = dummySampleDeter();
        StepOutput out = null;
        for (double t : timesteps) {
            out = scheduler.step(dummyModel(sample, t), t, sample, null);
            sample = out.prevSample();
        }
        // σ = 0 at the end: x = (0/σ_s)·x − α·(e^{−∞} − 1)·x̂0 = x̂0.
        for (int i = 0; i < sample.length; i++) {
            assertEquals(out.predOriginalSample()[i], sample[i], 1e-6);
        }
    }

    @Test
    void sdeVariantsAndDpmsolverWithZeroFinalSigmaAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new DpmSolverMultistepScheduler(config()
                .set(SchedulerConfig.ALGORITHM_TYPE, "sde-dpmsolver++").build()));
        assertThrows(IllegalArgumentException.class, () -> new DpmSolverMultistepScheduler(config()
                .set(SchedulerConfig.ALGORITHM_TYPE, "dpmsolver").set(SchedulerConfig.FINAL_SIGMAS_TYPE, "zero")
                .build()));
    }
}
