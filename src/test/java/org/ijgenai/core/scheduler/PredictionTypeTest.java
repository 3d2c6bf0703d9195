package org.ijgenai.core.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Each prediction type recovers x0 and ε from its model output: with α = 0.6, σ = 0.8, x0 = 0.5 and ε = −1, the
 * noisy sample is x = −0.5 and the velocity v = α·ε − σ·x0 = −1 (hand-computed).
 */
class PredictionTypeTest {

    private static final float ALPHA = 0.6f;
    private static final float SIGMA = 0.8f;
    private static final float X = -0.5f;

    @Test
    void everyTypeRecoversTheCleanSampleAndTheNoise() {
        float[][] outputs = {{-1f}, {-1f}, {0.5f}};
        PredictionType[] types = {PredictionType.EPSILON, PredictionType.V_PREDICTION, PredictionType.SAMPLE};
        for (int k = 0; k < types.length; k++) {
            float m = outputs[k][0];
            assertEquals(0.5f, types[k].originalSample(m, X, ALPHA, SIGMA), 1e-6f, types[k] + " x0");
            assertEquals(-1f, types[k].noise(m, X, ALPHA, SIGMA), 1e-6f, types[k] + " epsilon");
        }
    }
}
