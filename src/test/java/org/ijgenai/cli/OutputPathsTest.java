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

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;

/** A CLI run never writes over one of its inputs, nor two of its outputs over each other (exit 2, no work done). */
class OutputPathsTest {

    @TempDir
    Path temp;

    private Path input;
    private byte[] inputBytes;

    @BeforeEach
    void writeInput() throws Exception {
        ColorProcessor rgb = new ColorProcessor(64, 64);
        rgb.setColor(0x3366cc);
        rgb.fill();
        input = temp.resolve("in.png");
        assertTrue(new FileSaver(new ImagePlus("in", rgb)).saveAsPng(input.toString()));
        inputBytes = Files.readAllBytes(input);
    }

    private String[] run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
    }

    private void assertRefused(String[] result, String fragment) throws Exception {
        assertEquals("2", result[0], result[1]);
        assertTrue(result[1].contains(fragment), result[1]);
        assertFalse(result[1].contains("\tat "), result[1]);
        assertArrayEquals(inputBytes, Files.readAllBytes(input), "the input file is unchanged");
    }

    @Test
    void img2imgOutEqualToInitIsRefused() throws Exception {
        assertRefused(run("img2img", "--model", "models/shapes-sd", "--prompt", "a red circle", "--steps", "2",
                "--init", input.toString(), "--out", input.toString()), "is the input file of --init");
        // The same file under another spelling.
        assertRefused(run("img2img", "--model", "models/shapes-sd", "--prompt", "a red circle", "--steps", "2",
                "--init", input.toString(), "--out", temp.resolve(".").resolve("in.png").toString()),
                "is the input file of --init");
    }

    @Test
    void outEqualToStepsOutIsRefused() throws Exception {
        Path stack = temp.resolve("steps.tif");
        assertRefused(run("txt2img", "--model", "models/shapes-sd", "--prompt", "a red circle", "--steps", "2",
                "--out", stack.toString(), "--steps-out", stack.toString()), "both name");
        assertFalse(Files.exists(stack));
    }

    @Test
    void styleAndDiffuseOutEqualToImageAreRefused() throws Exception {
        assertRefused(run("style", "--model", "models/ink-gan", "--image", input.toString(), "--out",
                input.toString()), "is the input file of --image");
        assertRefused(run("diffuse", "--image", input.toString(), "--frames", "2", "--out", temp.resolve("d.tif")
                .toString(), "--plot", input.toString()), "is the input file of --image");
    }

    @Test
    void inpaintAndExpandOutEqualToInitOrMaskAreRefused() throws Exception {
        Path mask = temp.resolve("mask.png");
        assertTrue(new FileSaver(new ImagePlus("mask", new ColorProcessor(64, 64))).saveAsPng(mask.toString()));
        byte[] maskBytes = Files.readAllBytes(mask);
        assertRefused(run("inpaint", "--model", "models/shapes-sd", "--init", input.toString(), "--mask",
                mask.toString(), "--prompt", "a star", "--steps", "1", "--out", input.toString()),
                "is the input file of --init");
        assertRefused(run("inpaint", "--model", "models/shapes-sd", "--init", input.toString(), "--mask",
                mask.toString(), "--prompt", "a star", "--steps", "1", "--out", mask.toString()),
                "is the input file of --mask");
        assertArrayEquals(maskBytes, Files.readAllBytes(mask), "the mask is unchanged");
        // Several images are numbered: in-1.png, in-2.png; the second must not replace an input of that name.
        Path numbered = temp.resolve("out-2.png");
        Files.copy(input, numbered);
        assertRefused(run("expand", "--model", "models/shapes-sd", "--init", numbered.toString(), "--right", "32",
                "--prompt", "sky", "--steps", "1", "--batch", "2", "--out", temp.resolve("out.png").toString()),
                "--out " + numbered + " is the input file of --init");
        assertRefused(run("inpaint", "--model", "models/shapes-sd", "--init", input.toString(), "--mask",
                mask.toString(), "--prompt", "a star", "--steps", "1", "--out", temp.resolve("s.tif").toString(),
                "--steps-out", temp.resolve("s.tif").toString()), "both name");
    }

    @Test
    void gridAndWalkOutputsMustBeDistinct() throws Exception {
        Path same = temp.resolve("cells.png");
        assertRefused(run("grid", "--model", "models/shapes-sd", "--prompt", "x", "--x", "seed=1,2", "--out",
                same.toString(), "--table", same.toString()), "both name");
        Path movie = temp.resolve("walk.tif");
        assertRefused(run("walk", "--model", "models/shapes-sd", "--prompt", "x", "--seeds", "1,2", "--out",
                movie.toString(), "--avi", movie.toString()), "--avi must end in .avi");
        assertFalse(Files.exists(same));
    }
}
