package org.ijgenai.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins the resampler's Lanczos filter on a larger noisy image (the img2img init-image path) against Pillow 9.4
 * outputs made by {@code tools/make_lanczos_reference.py}.
 */
class PilResamplerLanczosTest {

    private static BufferedImage load(String name) throws IOException {
        try (InputStream in = PilResamplerLanczosTest.class.getResourceAsStream(name)) {
            return ImageIO.read(in);
        }
    }

    private static byte[] rgbBytes(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = image.getRGB(x, y);
                int i = (y * w + x) * 3;
                out[i] = (byte) (p >> 16);
                out[i + 1] = (byte) (p >> 8);
                out[i + 2] = (byte) p;
            }
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"64, 128", "37, 200", "100, 64"})
    void resizeMatchesPillowLanczosByteForByte(int width, int height) throws IOException {
        BufferedImage in = load("lanczos_in_100x130.png");
        BufferedImage expected = load("lanczos_out_" + width + "x" + height + ".png");
        byte[] actual = PilResampler.resize(new RgbImage(in.getWidth(), in.getHeight(), rgbBytes(in)), width, height,
                PilFilter.LANCZOS).rgb();
        assertEquals(expected.getWidth(), width);
        assertArrayEquals(rgbBytes(expected), actual);
    }
}
