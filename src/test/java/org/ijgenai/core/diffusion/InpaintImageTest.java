package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ijgenai.core.image.RgbImage;
import org.junit.jupiter.api.Test;

/** diffusers' prepare_mask_and_masked_image, checked on hand-made pixels. */
class InpaintImageTest {

    @Test
    void maskedImageKeepsPixelsBelow128AndZeroesTheRest() {
        byte[] rgb = new byte[16 * 16 * 3];
        byte[] mask = new byte[16 * 16];
        for (int i = 0; i < 256; i++) {
            rgb[i * 3] = (byte) 255;
            rgb[i * 3 + 1] = (byte) 51;
            rgb[i * 3 + 2] = 0;
            mask[i] = (byte) (i % 3 == 0 ? 127 : i % 3 == 1 ? 128 : 0);
        }
        InpaintImage image = new InpaintImage(new RgbImage(16, 16, rgb), mask, null);
        float[] masked = image.maskedImageInput(16, 16);
        for (int i = 0; i < 256; i++) {
            boolean keep = i % 3 != 1;
            assertEquals(keep ? 1f : 0f, masked[i], "R at " + i);
            assertEquals(keep ? 51 / 127.5f - 1f : 0f, masked[256 + i], "G at " + i);
            assertEquals(keep ? -1f : 0f, masked[512 + i], "B at " + i);
        }
    }

    @Test
    void latentMaskIsNearestThenThresholdAtHalf() {
        // PIL's nearest samples source pixel floor((x + 0.5)·8) = 8x + 4 of each 8-pixel cell.
        byte[] mask = new byte[16 * 16];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                int v = 0;
                if (x == 4 && y == 4) {
                    v = 128;
                } else if (x == 12 && y == 4) {
                    v = 127;
                } else if (x == 4 && y == 12) {
                    v = 255;
                } else if (x != 12 || y != 12) {
                    v = 255 - (x + y) % 2 * 255;
                }
                mask[y * 16 + x] = (byte) v;
            }
        }
        InpaintImage image = new InpaintImage(new RgbImage(16, 16, new byte[16 * 16 * 3]), mask, null);
        // 128/255 ≥ 0.5 → 1; 127/255 < 0.5 → 0; 255 → 1; 0 at (12, 12) → 0.
        assertArrayEquals(new float[] {1, 0, 1, 0}, image.latentMask(2, 2));
    }

    @Test
    void maskOfAnotherSizeIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new InpaintImage(new RgbImage(4, 4, new byte[48]), new byte[15], null));
    }
}
