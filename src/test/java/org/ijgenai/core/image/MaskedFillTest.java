package org.ijgenai.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A1111's fill keeps unmasked pixels and fills holes with the colour around them. */
class MaskedFillTest {

    @Test
    void holeTakesItsSurroundingsColourAndTheRestIsUntouched() {
        int w = 32;
        int h = 32;
        byte[] rgb = new byte[w * h * 3];
        float[] mask = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                boolean hole = x >= 12 && x < 20 && y >= 12 && y < 20;
                mask[i] = hole ? 1f : 0f;
                rgb[i * 3] = (byte) (hole ? 0 : 180);
                rgb[i * 3 + 1] = (byte) (hole ? 255 : 40);
                rgb[i * 3 + 2] = (byte) (x * 3);
            }
        }
        RgbImage filled = MaskedFill.fill(new RgbImage(w, h, rgb), mask);
        for (int i = 0; i < w * h; i++) {
            if (mask[i] == 0f) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(rgb[i * 3 + c], filled.rgb()[i * 3 + c]);
                }
            }
        }
        assertEquals(180, filled.sample(16, 16, 0), 3);
        assertEquals(40, filled.sample(16, 16, 1), 3);
    }
}
