package org.ijgenai.core.scheduler;

import static org.ijgenai.core.scheduler.DiffusersTestKit.COUNT;
import static org.ijgenai.core.scheduler.DiffusersTestKit.dummyModel;
import static org.ijgenai.core.scheduler.DiffusersTestKit.dummyNoiseDeter;
import static org.ijgenai.core.scheduler.DiffusersTestKit.dummySampleDeter;
import static org.ijgenai.core.scheduler.DiffusersTestKit.linearConfig;
import static org.ijgenai.core.scheduler.DiffusersTestKit.meanAbs;
import static org.ijgenai.core.scheduler.DiffusersTestKit.sumAbs;
import static org.ijgenai.core.scheduler.DiffusersTestKit.times;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ijgenai.core.random.NoiseSource;
import org.junit.jupiter.api.Test;

/**
 * Euler Ancestral: diffusers' {@code test_scheduler_euler_ancestral.py} full loops replayed with torch's recorded
 * seed-0 noise, and the invariants of the ancestral step that need no particular generator.
 */
class EulerAncestralSchedulerTest {

    private static float[] fullLoop(SchedulerConfig config, NoiseSource noise) {
        EulerAncestralScheduler scheduler = new EulerAncestralScheduler(config);
        scheduler.setTimesteps(10);
        float[] sample = times(dummySampleDeter(), scheduler.initNoiseSigma());
        for (double t : scheduler.timesteps()) {
            sample = scheduler.scaleModelInput(sample, t);
            sample = scheduler.step(dummyModel(sample, t), t, sample, noise).prevSample();
        }
        return sample;
    }

    @Test
    void eulerAncestralFullLoopWithTorchNoiseMatchesDiffusers() {
        float[] sample = fullLoop(linearConfig(1100).build(), new DiffusersTestKit.TorchSeed0Noise());
        assertEquals(152.3192, sumAbs(sample), 1e-2);
        assertEquals(0.1983, meanAbs(sample), 1e-3);
    }

    @Test
    void eulerAncestralVPredictionWithTorchNoiseMatchesDiffusers() {
        float[] sample = fullLoop(linearConfig(1100).predictionType("v_prediction").build(),
                new DiffusersTestKit.TorchSeed0Noise());
        assertEquals(108.4439, sumAbs(sample), 1e-2);
        assertEquals(0.1412, meanAbs(sample), 1e-3);
    }

    @Test
    void stepWithZeroNoiseIsEulerStepToSigmaDown() {
        EulerAncestralScheduler scheduler = new EulerAncestralScheduler(linearConfig(1000).build());
        scheduler.setTimesteps(10);
        float[] sigmas = scheduler.sigmas();
        double t = scheduler.timesteps()[2];
        float[] sample = times(dummySampleDeter(), 3.0);
        float[] output = dummyNoiseDeter();
        float[] prev = scheduler.step(output, t, sample, new DiffusersTestKit.ZeroNoise()).prevSample();
        double from = sigmas[2];
        double to = sigmas[3];
        double up = Math.sqrt(to * to * (from * from - to * to) / (from * from));
        double down = Math.sqrt(to * to - up * up);
        for (int i = 0; i < COUNT; i++) {
            // ε-prediction: d = (x − (x − σ·ε))/σ = ε, so x_next = x + ε·(σ_down − σ).
            assertEquals(sample[i] + output[i] * (down - from), prev[i], 2e-5);
        }
    }

    @Test
    void injectedNoiseIsScaledBySigmaUpAndVariancesAddUp() {
        EulerAncestralScheduler zeroRun = new EulerAncestralScheduler(linearConfig(1000).build());
        EulerAncestralScheduler noiseRun = new EulerAncestralScheduler(linearConfig(1000).build());
        zeroRun.setTimesteps(10);
        noiseRun.setTimesteps(10);
        float[] sigmas = zeroRun.sigmas();
        float[] z = dummyNoiseDeter();
        float[] sample = dummySampleDeter();
        double t = zeroRun.timesteps()[0];
        float[] withoutNoise = zeroRun.step(sample, t, sample, new DiffusersTestKit.ZeroNoise()).prevSample();
        float[] withNoise = noiseRun.step(sample, t, sample, new DiffusersTestKit.FixedNoise(z)).prevSample();
        float sigmaUp = EulerAncestralScheduler.ancestralSigmaUp(sigmas[0], sigmas[1]);
        for (int i = 0; i < COUNT; i++) {
            assertEquals(withoutNoise[i] + z[i] * sigmaUp, withNoise[i], 1e-4);
        }
        for (int i = 0; i < 10; i++) {
            double up = EulerAncestralScheduler.ancestralSigmaUp(sigmas[i], sigmas[i + 1]);
            double down2 = (double) sigmas[i + 1] * sigmas[i + 1] - up * up;
            // σ_down² + σ_up² = σ_next²: the ancestral step keeps the marginal noise level.
            assertEquals((double) sigmas[i + 1] * sigmas[i + 1], down2 + up * up, 1e-4);
        }
        assertEquals(0f, EulerAncestralScheduler.ancestralSigmaUp(sigmas[9], sigmas[10]));
    }

    @Test
    void everyStepDrawsOneValuePerElementIncludingTheLast() {
        EulerAncestralScheduler scheduler = new EulerAncestralScheduler(linearConfig(1000).build());
        scheduler.setTimesteps(5);
        DiffusersTestKit.ZeroNoise noise = new DiffusersTestKit.ZeroNoise();
        float[] sample = dummySampleDeter();
        for (double t : scheduler.timesteps()) {
            sample = scheduler.step(dummyModel(sample, t), t, sample, noise).prevSample();
        }
        assertEquals(5, noise.draws);
        assertEquals(5 * COUNT, noise.values);
    }

    @Test
    void missingNoiseSourceAndSamplePredictionAreRejected() {
        EulerAncestralScheduler scheduler = new EulerAncestralScheduler(linearConfig(1000).build());
        scheduler.setTimesteps(5);
        float[] sample = dummySampleDeter();
        assertThrows(IllegalArgumentException.class,
                () -> scheduler.step(sample, scheduler.timesteps()[0], sample, null));
        assertThrows(IllegalArgumentException.class,
                () -> new EulerAncestralScheduler(linearConfig(1000).predictionType("sample").build()));
    }

    @Test
    void timestepsMatchEulerForTheSameConfig() {
        EulerAncestralScheduler ancestral = new EulerAncestralScheduler(linearConfig(1100).build());
        EulerScheduler euler = new EulerScheduler(linearConfig(1100).build());
        ancestral.setTimesteps(10);
        euler.setTimesteps(10);
        assertArrayEquals(euler.timesteps(), ancestral.timesteps());
        assertArrayEquals(euler.sigmas(), ancestral.sigmas());
        assertEquals(euler.initNoiseSigma(), ancestral.initNoiseSigma());
    }
}
