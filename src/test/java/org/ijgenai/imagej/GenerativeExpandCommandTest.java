package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Generative Expand's sides from the dialog: as given, or split from a target canvas size. */
class GenerativeExpandCommandTest {

    @Test
    void targetCanvasIsSplitEvenlyWithTheOddPixelRightAndBottom() {
        assertArrayEquals(new int[] {0, 32, 0, 0}, GenerativeExpandCommand.sides(new int[] {0, 32, 0, 0, 0, 0}, 64,
                64));
        assertArrayEquals(new int[] {16, 17, 0, 1}, GenerativeExpandCommand.sides(new int[] {0, 0, 0, 0, 97, 65},
                64, 64));
        assertThrows(IllegalArgumentException.class,
                () -> GenerativeExpandCommand.sides(new int[] {0, 0, 0, 0, 32, 64}, 64, 64));
        assertThrows(IllegalArgumentException.class,
                () -> GenerativeExpandCommand.sides(new int[] {0, 0, 0, 0, -1, 0}, 64, 64));
    }
}
