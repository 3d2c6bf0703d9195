package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.ijgenai.core.style.StyleTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ColorProcessor;

/** {@code ij-genai style} end to end: files in, files out, against the torch references. */
class StyleCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int cli(String... args) {
        return Main.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The largest |saved 8-bit value − reference| in 0–255 units. */
    private static double maxError(BufferedImage image, float[] reference) {
        double worst = 0;
        int w = image.getWidth();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int i = 3 * (y * w + x);
                worst = Math.max(worst, Math.abs(((rgb >> 16) & 0xff) - reference[i]));
                worst = Math.max(worst, Math.abs(((rgb >> 8) & 0xff) - reference[i + 1]));
                worst = Math.max(worst, Math.abs((rgb & 0xff) - reference[i + 2]));
            }
        }
        return worst;
    }

    @ParameterizedTest(name = "{1} --tile {3}")
    @CsvSource({
        "tiny-animegan.onnx, animegan, animegan, 0",
        "tiny-cyclegan.onnx, cyclegan, cyclegan, 0",
        "tiny-fns.onnx, fast-neural-style, fns, 0",
        "tiny-animegan.onnx, animegan, animegan, 48",
        "tiny-cyclegan.onnx, cyclegan, cyclegan, 48",
        "tiny-fns.onnx, fast-neural-style, fns, 48",
        "tiny-fns-fixed32.onnx, fast-neural-style, fns, 0",
        "tiny-transformernet.onnx, fast-neural-style, transformernet, 0",
    })
    void styleMatchesTorchReferenceWholeAndTiled(String model, String format, String ref, int tile)
            throws IOException {
        Path out = dir.resolve("out.png");
        int code = cli("style", "--model", StyleTestData.resource(model).toString(), "--format", format,
                "--image", StyleTestData.resource("input-101x77.png").toString(), "--tile", String.valueOf(tile),
                "--out", out.toString());
        assertEquals(0, code, errors());
        BufferedImage image = ImageIO.read(out.toFile());
        assertEquals(101, image.getWidth());
        assertEquals(77, image.getHeight());
        double error = maxError(image, StyleTestData.reference("ref-" + ref + "-101x77.f32"));
        assertTrue(error <= 1.0, "max error " + error + "/255");
    }

    @Test
    void descriptorFolderNeedsNoFormat() throws IOException {
        Path out = dir.resolve("out.tif");
        assertEquals(0, cli("style", "--model", StyleTestData.resource("bgr01").toString(),
                "--image", StyleTestData.resource("input-61x47.png").toString(), "--out", out.toString()), errors());
        ImagePlus saved = IJ.openImage(out.toString());
        assertTrue(maxError(saved.getBufferedImage(), StyleTestData.reference("ref-bgr01-61x47.f32")) <= 1.0);
    }

    @Test
    void stackIsStyledSliceBySlice() throws IOException {
        ImagePlus input = IJ.openImage(StyleTestData.resource("input-61x47.png").toString());
        ColorProcessor first = (ColorProcessor) input.getProcessor();
        ColorProcessor flipped = (ColorProcessor) first.duplicate();
        flipped.flipHorizontal();
        ImageStack stack = new ImageStack(61, 47);
        stack.addSlice("a", first);
        stack.addSlice("b", flipped);
        stack.addSlice("c", first.duplicate());
        Path in = dir.resolve("stack.tif");
        new FileSaver(new ImagePlus("stack", stack)).saveAsTiffStack(in.toString());
        Path single = dir.resolve("flipped.png");
        new FileSaver(new ImagePlus("flipped", flipped)).saveAsPng(single.toString());

        Path out = dir.resolve("styled.tif");
        String model = StyleTestData.resource("tiny-fns.onnx").toString();
        assertEquals(0, cli("style", "--model", model, "--format", "fast-neural-style", "--image", in.toString(),
                "--out", out.toString()), errors());
        Path outSingle = dir.resolve("flipped-styled.png");
        assertEquals(0, cli("style", "--model", model, "--format", "fast-neural-style", "--image",
                single.toString(), "--out", outSingle.toString()), errors());

        ImagePlus styled = IJ.openImage(out.toString());
        assertEquals(3, styled.getStackSize());
        float[] reference = StyleTestData.reference("ref-fns-61x47.f32");
        assertTrue(maxError(slice(styled, 1), reference) <= 1.0);
        assertTrue(maxError(slice(styled, 3), reference) <= 1.0);
        int[] expected = (int[]) IJ.openImage(outSingle.toString()).getProcessor().getPixels();
        int[] actual = (int[]) styled.getStack().getProcessor(2).getPixels();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] & 0xffffff, actual[i] & 0xffffff, "pixel " + i);
        }
    }

    private static BufferedImage slice(ImagePlus imp, int n) {
        return new ImagePlus("", imp.getStack().getProcessor(n)).getBufferedImage();
    }

    @Test
    void bareOnnxWithoutFormatAsksForOne() {
        assertEquals(1, cli("style", "--model", StyleTestData.resource("tiny-fns.onnx").toString(), "--image",
                StyleTestData.resource("input-61x47.png").toString(), "--out", dir.resolve("o.png").toString()));
        assertTrue(errors().contains("format") && errors().contains("fast-neural-style"), errors());
    }

    @Test
    void badOptionsAreNamed() {
        String model = StyleTestData.resource("tiny-fns.onnx").toString();
        String image = StyleTestData.resource("input-61x47.png").toString();
        String out = dir.resolve("o.png").toString();
        assertEquals(1, cli("style", "--model", model, "--format", "monet", "--image", image, "--out", out));
        assertTrue(errors().contains("unknown format 'monet'"), errors());
        assertEquals(2, cli("style", "--model", model, "--format", "animegan", "--image", image, "--strength", "2",
                "--out", out));
        assertTrue(errors().contains("--strength"), errors());
        assertEquals(2, cli("style", "--model", model, "--format", "animegan", "--image", image));
        assertTrue(errors().contains("--out"), errors());
        assertEquals(1, cli("style", "--model", model, "--format", "animegan", "--image", "missing.png",
                "--out", out));
        assertTrue(errors().contains("missing.png"), errors());
    }
}
