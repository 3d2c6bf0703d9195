package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;

/** {@code ij-genai gan-walk} on the bundled shapes-gan: the stack and montage it writes, and its errors. */
class GanWalkCommandTest {

    @TempDir
    Path temp;

    private static CliHelpTest.Outcome run(String... args) {
        return CliHelpTest.run(args);
    }

    @Test
    void walkWritesALabelledStackAndAMontageWithOneRowPerSegment() {
        Path stack = temp.resolve("walk.tif");
        Path montage = temp.resolve("walk.png");
        CliHelpTest.Outcome r = run("gan-walk", "--model", "models/shapes-gan", "--seeds", "1,2,3", "--frames", "5", "--out",
                stack.toString(), "--montage", montage.toString());
        assertEquals(0, r.code(), r.err());
        ImagePlus imp = IJ.openImage(stack.toString());
        assertEquals(9, imp.getStackSize());
        assertEquals(24, imp.getBitDepth());
        assertEquals("1: seed 1", imp.getStack().getSliceLabel(1));
        assertEquals("2: seed 1→2 t=0.250", imp.getStack().getSliceLabel(2));
        assertEquals("5: seed 2", imp.getStack().getSliceLabel(5));
        assertEquals("9: seed 3", imp.getStack().getSliceLabel(9));
        String info = (String) imp.getProperty("Info");
        assertTrue(info.startsWith("GAN latent walk (ij-genai)\n") && info.contains("interpolation: slerp"), info);
        ImagePlus grid = IJ.openImage(montage.toString());
        // 2 rows (segments) × 5 columns of 96-pixel tiles (32 px × 3), 2-pixel gaps, an 84-pixel row header
        assertEquals(84 + 5 * 98 - 2, grid.getWidth());
        assertEquals(2 * 98 - 2, grid.getHeight());
        // The second row starts with the first row's last picture (seed 2), enlarged 3× by nearest neighbour.
        int[] first = (int[]) imp.getStack().getProcessor(5).getPixels();
        assertEquals(first[0] & 0xffffff, grid.getProcessor().getPixel(84, 98) & 0xffffff);
        assertEquals(first[1] & 0xffffff, grid.getProcessor().getPixel(84 + 3, 98 + 2) & 0xffffff);
    }

    @Test
    void sweepWritesOneRowPerCoordinateHeadedByTheOffsets() {
        Path stack = temp.resolve("sweep.tif");
        Path montage = temp.resolve("sweep.png");
        CliHelpTest.Outcome r = run("gan-walk", "--mode", "sweep", "--seed", "4", "--coordinates", "0-2,10", "--range", "2",
                "--steps", "5", "--out", stack.toString(), "--montage", montage.toString());
        assertEquals(0, r.code(), r.err());
        ImagePlus imp = IJ.openImage(stack.toString());
        assertEquals(20, imp.getStackSize());
        assertTrue(imp.getStack().getSliceLabel(1).startsWith("1: z[0] -2.00 (= "), imp.getStack().getSliceLabel(1));
        assertTrue(imp.getStack().getSliceLabel(18).startsWith("18: z[10] +0.00 (= "),
                imp.getStack().getSliceLabel(18));
        ImagePlus grid = IJ.openImage(montage.toString());
        assertEquals(84 + 5 * 98 - 2, grid.getWidth());
        assertEquals(20 + 4 * 98 - 2, grid.getHeight());
        // The middle column of every row is the base z's picture.
        int[] base = (int[]) imp.getStack().getProcessor(3).getPixels();
        assertEquals(base[0] & 0xffffff, grid.getProcessor().getPixel(84 + 2 * 98, 20 + 3 * 98) & 0xffffff);
    }

    @Test
    void badParametersAreUsageErrorsThatSayWhatWasExpected() {
        Path out = temp.resolve("x.tif");
        CliHelpTest.Outcome frames = run("gan-walk", "--frames", "1", "--out", out.toString());
        assertEquals(2, frames.code());
        assertTrue(frames.err().contains("frames must be at least 2 (the two ends of each segment), was 1"),
                frames.err());
        CliHelpTest.Outcome seeds = run("gan-walk", "--seeds", "7", "--out", out.toString());
        assertEquals(2, seeds.code());
        assertTrue(seeds.err().contains("a walk needs at least two seeds, got 1 [7]"), seeds.err());
        CliHelpTest.Outcome dims = run("gan-walk", "--mode", "sweep", "--coordinates", "60-64", "--out", out.toString());
        assertEquals(2, dims.code());
        assertTrue(dims.err().contains("coordinates '60-64' are not within z's 0…63")
                && dims.err().contains("z has 64 entries"), dims.err());
        CliHelpTest.Outcome interpolation = run("gan-walk", "--interpolation", "cubic", "--out", out.toString());
        assertEquals(2, interpolation.code());
        assertTrue(interpolation.err().contains("interpolation must be slerp or linear, was 'cubic'"),
                interpolation.err());
        CliHelpTest.Outcome tif = run("gan-walk", "--out", temp.resolve("x.png").toString());
        assertEquals(2, tif.code());
        assertTrue(tif.err().contains("--out must end in .tif"), tif.err());
        assertFalse(Files.exists(out), "nothing written on a usage error");
    }

    @Test
    void unknownOrWrongModelsAreRuntimeErrorsNamingTheModel() {
        Path out = temp.resolve("x.tif");
        CliHelpTest.Outcome unknown = run("gan-walk", "--model", "no-such-gan", "--out", out.toString());
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("Model folder not found: no-such-gan"), unknown.err());
        CliHelpTest.Outcome sd = run("gan-walk", "--model", "models/shapes-sd", "--out", out.toString());
        assertEquals(1, sd.code());
        assertTrue(sd.err().contains("no gan.json in models/shapes-sd"), sd.err());
        assertFalse(Files.exists(out));
    }
}
