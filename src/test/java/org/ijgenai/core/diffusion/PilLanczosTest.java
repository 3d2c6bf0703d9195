package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;

import javax.imageio.ImageIO;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PilLanczosTest {

    private static BufferedImage load(String name) throws IOException {
        try (InputStream in = PilLanczosTest.class.getResourceAsStream(name)) {
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
        byte[] actual = PilLanczos.resize(rgbBytes(in), in.getWidth(), in.getHeight(), width, height);
        assertEquals(expected.getWidth(), width);
        assertArrayEquals(rgbBytes(expected), actual);
    }

    @ParameterizedTest
    @CsvSource({"100, 130, 64, 128", "64, 64, 64, 64", "200, 90, 192, 64"})
    void initImageWorksAtTheLargestMultipleOf64(int w, int h, int expectedW, int expectedH) {
        InitImage init = new InitImage(new byte[w * h * 3], w, h, "test");
        assertEquals(expectedW, init.workingWidth());
        assertEquals(expectedH, init.workingHeight());
        float[] input = init.toModelInput();
        assertEquals(3 * expectedW * expectedH, input.length);
        assertEquals(-1f, input[0]);
    }
}
