package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Krita's grow / feather / blend masks, and the composite mask staying inside the grown selection. */
class SelectionMasksTest {

    private static float[] square(int w, int h, int x1, int y1, int x2, int y2) {
        float[] m = new float[w * h];
        for (int y = y1; y < y2; y++) {
            for (int x = x1; x < x2; x++) {
                m[y * w + x] = 1f;
            }
        }
        return m;
    }

    @Test
    void compositeMaskIsZeroOutsideTheGrownSelectionAndOneDeepInside() {
        int w = 64;
        int h = 48;
        float[] sel = square(w, h, 20, 10, 40, 30);
        SelectionMasks m = SelectionMasks.of(sel, w, h, 4, 6, 8);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                boolean grown = x >= 16 && x < 44 && y >= 6 && y < 34;
                assertEquals(grown ? 1f : 0f, m.grown()[i], x + "," + y);
                if (!grown) {
                    assertEquals(0f, m.composite()[i], "composite outside the grown selection at " + x + "," + y);
                }
                if (x >= 24 && x < 36 && y >= 14 && y < 26) {
                    assertEquals(1f, m.composite()[i], 1e-6, "deep inside");
                    assertEquals(1f, m.denoise()[i], 1e-6);
                }
            }
        }
        // The feather spreads the denoise mask beyond the grown edge by about feather / 2 (tent of size 7).
        assertTrue(m.denoise()[20 * w + 44] > 0f);
        assertTrue(m.denoise()[20 * w + 43] < 1f);
        assertEquals(0f, m.denoise()[20 * w + 48]);
    }

    @Test
    void noGrowFeatherOrBlendKeepsTheSelection() {
        float[] sel = square(8, 8, 2, 2, 5, 5);
        SelectionMasks m = SelectionMasks.of(sel, 8, 8, 0, 0, 0);
        for (int i = 0; i < 64; i++) {
            assertEquals(sel[i], m.denoise()[i]);
            assertEquals(sel[i], m.composite()[i]);
        }
    }

    @Test
    void negativeSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SelectionMasks.of(new float[4], 2, 2, -1, 0, 0));
    }
}
