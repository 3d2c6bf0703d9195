package org.ijgenai.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The outpainting canvas keeps the original pixels and pre-fills the border with edge colours. */
class CanvasExtensionTest {

    @Test
    void originalPixelsAreKeptAndTheBorderIsMarked() {
        byte[] rgb = new byte[8 * 8 * 3];
        for (int i = 0; i < 64; i++) {
            rgb[i * 3] = (byte) (i % 8 < 4 ? 200 : 20);
            rgb[i * 3 + 2] = (byte) i;
        }
        RgbImage image = new RgbImage(8, 8, rgb);
        CanvasExtension c = CanvasExtension.extend(image, 4, 0, 2, 6);
        assertEquals(12, c.image().width());
        assertEquals(16, c.image().height());
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                for (int ch = 0; ch < 3; ch++) {
                    assertEquals(image.sample(x, y, ch), c.image().sample(x + 4, y + 2, ch));
                }
                assertEquals(0, c.mask()[(y + 2) * 12 + x + 4]);
            }
        }
        assertEquals((byte) 255, c.mask()[0]);
        // Far left of the left border takes the left edge's red (200), blurred only along the edge.
        assertEquals(200, c.image().sample(0, 6, 0), 8);
    }

    @Test
    void nothingToExpandIsRefused() {
        RgbImage image = new RgbImage(2, 2, new byte[12]);
        assertThrows(IllegalArgumentException.class, () -> CanvasExtension.extend(image, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> CanvasExtension.extend(image, -1, 0, 0, 0));
    }
}
