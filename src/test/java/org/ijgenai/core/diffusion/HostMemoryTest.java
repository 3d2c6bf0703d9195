package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ijgenai.core.GenAiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RAM guard: a UNet larger than the RAM is refused with both numbers; unknown memory never refuses. */
class HostMemoryTest {

    private static final long GIB = 1L << 30;

    @TempDir
    Path temp;

    @Test
    void aUnetLargerThanTheRamIsRefusedWithTheNumbers() {
        Path unet = temp.resolve("unet/model.onnx");
        GenAiException e = assertThrows(GenAiException.class,
                () -> new HostMemory(8 * GIB, 6 * GIB).checkFits(unet, 10 * GIB + GIB / 4));
        assertTrue(e.getMessage().contains("10.3 GiB") && e.getMessage().contains("8.0 GiB"), e.getMessage());
        assertTrue(e.getMessage().contains(unet.toString()), e.getMessage());
    }

    @Test
    void unknownOrSufficientMemoryPasses() {
        new HostMemory(-1, -1).checkFits(temp, 100 * GIB);
        new HostMemory(16 * GIB, 2 * GIB).checkFits(temp, 10 * GIB);
        assertFalse(new HostMemory(-1, -1).isShortFor(100 * GIB));
        assertTrue(new HostMemory(16 * GIB, 2 * GIB).isShortFor(10 * GIB));
        assertFalse(new HostMemory(16 * GIB, 12 * GIB).isShortFor(10 * GIB));
    }

    @Test
    void aUnetLoadsWithoutRepackedWeightsBelowTwoPointTwoTimesItsFilesFree() {
        // SDXL's 10.3 GB UNet on a 24 GB computer with 22 GB free: 22.7 GB would be needed at 1024² with them.
        assertTrue(new HostMemory(24 * GIB, 22 * GIB).isShortForPrepackedUnet(10 * GIB + GIB / 4));
        assertFalse(new HostMemory(32 * GIB, 23 * GIB).isShortForPrepackedUnet(10 * GIB + GIB / 4));
        // SD 1.5's 3.4 GB UNet: 7.5 GB free is enough.
        assertFalse(new HostMemory(16 * GIB, 8 * GIB).isShortForPrepackedUnet(3 * GIB + GIB / 2));
        assertFalse(new HostMemory(-1, -1).isShortForPrepackedUnet(100 * GIB), "unknown memory: the faster path");
    }

    @Test
    void folderBytesCountTheGraphAndItsExternalWeights() throws IOException {
        Files.createDirectories(temp.resolve("unet"));
        Files.write(temp.resolve("unet/model.onnx"), new byte[100]);
        Files.write(temp.resolve("unet/model.onnx_data"), new byte[1000]);
        assertEquals(1100, HostMemory.folderBytes(temp.resolve("unet/model.onnx")));
    }
}
