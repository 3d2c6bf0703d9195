package org.ijgenai.core.scheduler;

import static org.ijgenai.core.scheduler.DiffusersTestKit.dummySampleDeter;
import static org.ijgenai.core.scheduler.DiffusersTestKit.linearConfig;
import static org.ijgenai.core.scheduler.DiffusersTestKit.meanAbs;
import static org.ijgenai.core.scheduler.DiffusersTestKit.sumAbs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Ports of diffusers' {@code tests/schedulers/test_scheduler_lms.py} (1100 training steps), and the quadrature. */
class LmsSchedulerTest {

    @Test
    void lmsFullLoopMatchesDiffusers() {
        float[] sample = EulerSchedulerTest.fullLoop(new LmsScheduler(linearConfig(1100).build()), 0, false);
        assertEquals(1006.388, sumAbs(sample), 1e-2);
        assertEquals(1.31, meanAbs(sample), 1e-3);
    }

    @Test
    void lmsFullLoopWithVPredictionMatchesDiffusers() {
        float[] sample = EulerSchedulerTest.fullLoop(new LmsScheduler(linearConfig(1100)
                .predictionType("v_prediction").build()), 0, false);
        assertEquals(0.0017, sumAbs(sample), 1e-2);
        assertEquals(2.2676e-06, meanAbs(sample), 1e-3);
    }

    @Test
    void lmsFullLoopWithKarrasSigmasMatchesDiffusers() {
        float[] sample = EulerSchedulerTest.fullLoop(new LmsScheduler(linearConfig(1100)
                .set(SchedulerConfig.USE_KARRAS_SIGMAS, true).build()), 0, false);
        assertEquals(3812.9927, sumAbs(sample), 2e-2);
        assertEquals(4.9648, meanAbs(sample), 1e-3);
    }

    @Test
    void lmsFullLoopFromNoisedSampleMatchesDiffusers() {
        float[] sample = EulerSchedulerTest.fullLoop(new LmsScheduler(linearConfig(1100).build()), 8, true);
        assertEquals(27663.6895, sumAbs(sample), 1e-2);
        assertEquals(36.0204, meanAbs(sample), 1e-3);
    }

    @Test
    void coefficientsIntegrateTheLagrangeBasisExactly() {
        LmsScheduler scheduler = new LmsScheduler(linearConfig(1000).build());
        scheduler.setTimesteps(10);
        float[] s = scheduler.sigmas();
        // Order 1: ∫ 1 dτ = σ_{t+1} − σ_t.
        assertEquals((double) s[4] - s[3], scheduler.lmsCoefficient(1, 3, 0), 1e-12);
        // The Lagrange basis sums to 1, so the coefficients of one step sum to σ_{t+1} − σ_t.
        for (int order = 2; order <= 4; order++) {
            double sum = 0;
            for (int k = 0; k < order; k++) {
                sum += scheduler.lmsCoefficient(order, 5, k);
            }
            assertEquals((double) s[6] - s[5], sum, 1e-9 * Math.abs(s[6] - s[5]) + 1e-12);
        }
        // Order 2, basis of σ_{t−1}: ∫ (τ − σ_t)/(σ_{t−1} − σ_t) dτ = (σ_{t+1} − σ_t)² / (2(σ_{t−1} − σ_t)).
        double a = s[5];
        double b = s[6];
        double p = s[4];
        assertEquals((b - a) * (b - a) / (2 * (p - a)), scheduler.lmsCoefficient(2, 5, 1), 1e-9);
        // Order 4, σ_{t−3} basis: a cubic; compare with a fine composite Simpson rule.
        double[] nodes = {s[5], s[4], s[3], s[2]};
        int subintervals = 2000;
        double h = (b - a) / subintervals;
        double simpson = 0;
        for (int i = 0; i <= subintervals; i++) {
            double tau = a + i * h;
            double basis = 1;
            for (int k = 0; k < 3; k++) {
                basis *= (tau - nodes[k]) / (nodes[3] - nodes[k]);
            }
            simpson += basis * (i == 0 || i == subintervals ? 1 : (i % 2 == 1 ? 4 : 2));
        }
        simpson *= h / 3;
        assertEquals(simpson, scheduler.lmsCoefficient(4, 5, 3), 1e-9);
    }

    @Test
    void imgToImgStartUsesTheAvailableDerivativesOnly() {
        LmsScheduler scheduler = new LmsScheduler(linearConfig(1000).build());
        scheduler.setTimesteps(10);
        double t = scheduler.timesteps()[5];
        float[] sample = dummySampleDeter();
        float[] output = DiffusersTestKit.dummyNoiseDeter();
        float[] prev = scheduler.step(output, t, sample, null).prevSample();
        // One derivative (ε) and the first coefficient of the order-4 formula at index 5.
        float coefficient = (float) scheduler.lmsCoefficient(4, 5, 0);
        for (int i = 0; i < sample.length; i++) {
            assertEquals(sample[i] + coefficient * output[i], prev[i], 1e-5);
        }
    }
}
