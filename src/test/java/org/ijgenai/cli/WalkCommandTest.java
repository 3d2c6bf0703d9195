package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import ij.IJ;
import ij.ImagePlus;

import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code walk} on the bundled shapes-sd: the endpoints are the plain generations of their seeds, labelled. */
class WalkCommandTest {

    @TempDir
    Path temp;

    @Test
    void endpointsEqualThePlainGenerationsAndSlicesCarryThePosition() throws Exception {
        Path stack = temp.resolve("walk.tif");
        Path avi = temp.resolve("walk.avi");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WalkCommand command = new WalkCommand(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code = command.run(new CliArgs(List.of("--model", "models/shapes-sd", "--prompt",
                "a red circle on a blue background", "--seeds", "3,8", "--frames", "2", "--steps", "4",
                "--scheduler", "euler_a", "--out", stack.toString(), "--avi", avi.toString(), "--quiet"),
                command.flags()));
        assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
        ImagePlus imp = IJ.openImage(stack.toString());
        assertEquals(3, imp.getStackSize());
        assertEquals("1: seed 3", imp.getStack().getSliceLabel(1));
        assertEquals("2: seed 3→8 t=0.500", imp.getStack().getSliceLabel(2));
        assertEquals("3: seed 8", imp.getStack().getSliceLabel(3));
        int[] first = rgb(imp, 1);
        int[] middle = rgb(imp, 2);
        int[] last = rgb(imp, 3);
        assertArrayEquals(plain(3), first);
        assertArrayEquals(plain(8), last);
        assertFalse(Arrays.equals(first, middle));
        assertTrue(Files.size(avi) > 0);
    }

    private static int[] rgb(ImagePlus imp, int slice) {
        return Arrays.stream((int[]) imp.getStack().getProcessor(slice).getPixels()).map(p -> p & 0xFFFFFF).toArray();
    }

    private static int[] plain(long seed) {
        GenerationRequest request = new GenerationRequest(List.of("a red circle on a blue background"), null, seed, 4,
                GenerationRequest.DEFAULT_GUIDANCE, "euler_a", 0, 0, 1, GenerationRequest.DEFAULT_STRENGTH);
        return Arrays.stream(new GenerationJob().setModel("models/shapes-sd").setRequest(request).run().images().rgb(0))
                .map(p -> p & 0xFFFFFF).toArray();
    }
}
