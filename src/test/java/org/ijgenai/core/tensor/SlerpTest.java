package org.ijgenai.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Slerp against the closed forms of unit vectors on a circle and the linear fallback rule. */
class SlerpTest {

    @Test
    void orthogonalUnitVectorsMoveAlongTheCircle() {
        // a = e1, b = e2, θ = π/2: slerp(t) = (cos(tπ/2), sin(tπ/2)), always unit length
        float[] a = {1, 0};
        float[] b = {0, 1};
        for (double t : new double[] {0.1, 0.25, 0.5, 0.9}) {
            float[] v = Slerp.slerp(a, b, t);
            assertEquals(Math.cos(t * Math.PI / 2), v[0], 1e-7);
            assertEquals(Math.sin(t * Math.PI / 2), v[1], 1e-7);
        }
    }

    @Test
    void scaledVectorsFollowShoemakesFormula() {
        // a = (2, 0, 0), b = (1, 1, 0)·3: θ = π/4; weights sin((1−t)θ)/sin θ and sin(tθ)/sin θ
        float[] a = {2, 0, 0};
        float[] b = {3, 3, 0};
        double t = 0.3;
        double theta = Math.PI / 4;
        double wa = Math.sin(0.7 * theta) / Math.sin(theta);
        double wb = Math.sin(0.3 * theta) / Math.sin(theta);
        float[] v = Slerp.slerp(a, b, t);
        assertEquals(wa * 2 + wb * 3, v[0], 1e-6);
        assertEquals(wb * 3, v[1], 1e-6);
        assertEquals(0, v[2]);
    }

    @Test
    void endpointsAreExactCopies() {
        float[] a = {0.1f, -2.5f, 3.3f};
        float[] b = {-1.7f, 0.2f, 9.1f};
        assertArrayEquals(a, Slerp.slerp(a, b, 0));
        assertArrayEquals(b, Slerp.slerp(a, b, 1));
    }

    @Test
    void nearlyParallelVectorsFallBackToLinear() {
        float[] a = {1, 0};
        float[] b = {1, 0.01f}; // cos θ ≈ 0.99995 > 0.9995
        assertTrue(Slerp.usesLinear(Slerp.cosine(a, b)));
        assertArrayEquals(new float[] {1, 0.005f}, Slerp.slerp(a, b, 0.5), 1e-7f);
        assertFalse(Slerp.usesLinear(Slerp.cosine(new float[] {1, 0}, new float[] {1, 0.1f})));
        // antiparallel: sin θ = 0 too
        assertArrayEquals(new float[] {0, 0}, Slerp.slerp(new float[] {1, 0}, new float[] {-1, 0}, 0.5), 1e-7f);
        // a zero vector has no angle
        assertArrayEquals(new float[] {0.5f, 0}, Slerp.slerp(new float[] {0, 0}, new float[] {1, 0}, 0.5), 1e-7f);
    }

    @Test
    void mismatchedLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Slerp.slerp(new float[2], new float[3], 0.5));
        assertThrows(IllegalArgumentException.class, () -> Slerp.slerp(new float[2], new float[2], Double.NaN));
    }
}
