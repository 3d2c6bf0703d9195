package org.ijgenai.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Pins the mask filters to hand-computed values of comfyui-inpaint-nodes' kernels. */
class MaskFiltersTest {

    private static float[] dot(int w, int h, int x, int y) {
        float[] m = new float[w * h];
        m[y * w + x] = 1f;
        return m;
    }

    @Test
    void dilateGrowsASquareAndErodeShrinksIt() {
        float[] grown = MaskFilters.dilate(dot(7, 7, 3, 3), 7, 7, 2);
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 7; x++) {
                boolean inside = Math.abs(x - 3) <= 2 && Math.abs(y - 3) <= 2;
                assertEquals(inside ? 1f : 0f, grown[y * 7 + x], x + "," + y);
            }
        }
        float[] back = MaskFilters.erode(grown, 7, 7, 2);
        assertArrayEquals(dot(7, 7, 3, 3), back);
    }

    @Test
    void erosionTreatsTheOutsideAsSelected() {
        float[] all = new float[25];
        java.util.Arrays.fill(all, 1f);
        assertArrayEquals(all, MaskFilters.erode(all, 5, 5, 2));
        all[12] = 0f;
        float[] eroded = MaskFilters.erode(all, 5, 5, 1);
        assertEquals(1f, eroded[0]);
        assertEquals(0f, eroded[6]);
        assertEquals(1f, eroded[4]);
    }

    @Test
    void gaussianOfSize3HasOpenCvSigma() {
        // σ = 0.3·(3−1)+0.8 = 1.4; kernel ∝ [e^{−1/(2·1.96)}, 1, e^{−1/(2·1.96)}]
        double e = Math.exp(-1 / (2 * 1.96));
        double centre = 1 / (1 + 2 * e);
        float[] out = MaskFilters.blurGaussian(dot(5, 5, 2, 2), 5, 5, 3);
        assertEquals(centre * centre, out[12], 1e-6);
        assertEquals(e * centre * centre, out[11], 1e-6);
        // Even sizes become odd before the "≤ 2 is a no-op" rule: 2 blurs as 3, 1 leaves the mask.
        assertArrayEquals(out, MaskFilters.blurGaussian(dot(5, 5, 2, 2), 5, 5, 2));
        assertArrayEquals(dot(5, 5, 2, 2), MaskFilters.blurGaussian(dot(5, 5, 2, 2), 5, 5, 1));
    }

    @Test
    void linearKernelIsATent() {
        // size 7: h = 3, linspace(1/3, 2/3, 3) = 1/3, 1/2, 2/3, then 1, mirrored; sum 4
        float[] out = MaskFilters.blurLinear(dot(9, 1, 4, 0), 9, 1, 7);
        float[] expected = {0, 1 / 12f, 1 / 8f, 1 / 6f, 1 / 4f, 1 / 6f, 1 / 8f, 1 / 12f, 0};
        // A 1-pixel-high image: the vertical pass reflects onto itself, leaving the horizontal tent.
        assertArrayEquals(expected, out, 1e-6f);
        // size 5: h = 2, linspace(1/2, 1/2, 2) → [1/2, 1/2, 1, 1/2, 1/2] / 3
        float[] five = MaskFilters.blurLinear(dot(7, 1, 3, 0), 7, 1, 5);
        assertArrayEquals(new float[] {0, 1 / 6f, 1 / 6f, 1 / 3f, 1 / 6f, 1 / 6f, 0}, five, 1e-6f);
    }

    @Test
    void reflectDoesNotRepeatTheEdge() {
        assertEquals(1, MaskFilters.reflect(-1, 5));
        assertEquals(3, MaskFilters.reflect(5, 5));
        assertEquals(0, MaskFilters.reflect(8, 5));
    }

    @Test
    void boundsAreExclusiveAndNullWhenEmpty() {
        float[] m = new float[20];
        assertNull(MaskFilters.bounds(m, 5, 4));
        m[1 * 5 + 2] = 0.5f;
        m[3 * 5 + 3] = 1f;
        assertArrayEquals(new int[] {2, 1, 4, 4}, MaskFilters.bounds(m, 5, 4));
    }
}
