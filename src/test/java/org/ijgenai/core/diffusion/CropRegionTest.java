package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A1111's get_crop_region and expand_crop_region, with values worked through their Python by hand. */
class CropRegionTest {

    private static float[] rect(int w, int h, int x1, int y1, int x2, int y2) {
        float[] m = new float[w * h];
        for (int y = y1; y < y2; y++) {
            for (int x = x1; x < x2; x++) {
                m[y * w + x] = 1f;
            }
        }
        return m;
    }

    @Test
    void boundingBoxPlusPaddingClippedToTheImage() {
        assertEquals(new CropRegion(68, 18, 152, 102),
                CropRegion.ofMask(rect(2000, 1500, 100, 50, 120, 70), 2000, 1500, 32));
        assertEquals(new CropRegion(0, 0, 42, 72), CropRegion.ofMask(rect(200, 100, 2, 5, 10, 40), 200, 100, 32));
        assertNull(CropRegion.ofMask(new float[100], 10, 10, 4));
    }

    @Test
    void wideRegionGrowsInHeightCentred() {
        // The docstring's example: a 128×32 region processed at 512×512 becomes 128×128.
        CropRegion r = new CropRegion(100, 200, 228, 232).expandTo(512, 512, 1000, 1000);
        assertEquals(new CropRegion(100, 152, 228, 280), r);
    }

    @Test
    void regionAtTheEdgeIsShiftedInside() {
        // (0,0,10,40) at ratio 1: desired width 40, diff 30 → x1 = −15, x2 = 25 → shifted to 0..40.
        assertEquals(new CropRegion(0, 0, 40, 40), new CropRegion(0, 0, 10, 40).expandTo(64, 64, 100, 100));
        // Against the far edge: (90,0,100,40) → 75..115 → shifted back by 15 to 60..100.
        assertEquals(new CropRegion(60, 0, 100, 40), new CropRegion(90, 0, 100, 40).expandTo(64, 64, 100, 100));
    }

    @Test
    void imageTooSmallClipsTheRegion() {
        // (0,0,30,10) in a 30×20 image at ratio 1: desired height 30, diff 20 → y −10..20 → y2 = 20 ≥ 20 → y1 −10
        // − 0; y1 < 0 → y2 = 30, y1 = 0; y2 ≥ 20 → 20.
        assertEquals(new CropRegion(0, 0, 30, 20), new CropRegion(0, 0, 30, 10).expandTo(64, 64, 30, 20));
    }

    @Test
    void nonSquareProcessingSize() {
        // 20×20 region processed at 128×64 (ratio 2): desired width 40, diff 20 → x1 − 10, x2 + 10.
        assertEquals(new CropRegion(90, 50, 130, 70), new CropRegion(100, 50, 120, 70).expandTo(128, 64, 500, 500));
    }
}
