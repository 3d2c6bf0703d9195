package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** img2img init images are worked on at the largest multiple of 64 and scaled to [−1, 1]. */
class InitImageTest {

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
