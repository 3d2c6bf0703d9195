package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The zoom a result window opens at, on ImageJ's zoom levels (1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32). */
class ResultWindowsTest {

    @Test
    void smallResultsOpenAtTheFirstImageJZoomLevelThatReaches256Pixels() {
        assertEquals(4.0, ResultWindows.magnification(64, 64), "shapes-sd's 64×64 → 256×256");
        assertEquals(3.0, ResultWindows.magnification(96, 64), "the expanded 96×64: its longer side 96 × 3 = 288");
        assertEquals(3.0, ResultWindows.magnification(96, 96), "96 × 2 = 192 < 256 ≤ 96 × 3");
        assertEquals(1.5, ResultWindows.magnification(200, 100));
        assertEquals(2.0, ResultWindows.magnification(128, 128), "exactly 256");
        assertEquals(32.0, ResultWindows.magnification(8, 8), "an 8×8 token-attention map");
        assertEquals(32.0, ResultWindows.magnification(1, 1), "ImageJ's largest zoom");
    }

    @Test
    void resultsWhoseLongerSideHas256PixelsOpenAtOneHundredPercent() {
        assertEquals(1.0, ResultWindows.magnification(256, 256));
        assertEquals(1.0, ResultWindows.magnification(512, 512));
        assertEquals(1.0, ResultWindows.magnification(768, 16), "a wide strip is not blown up past the screen");
        assertEquals(1.0, ResultWindows.magnification(0, 0));
    }
}
