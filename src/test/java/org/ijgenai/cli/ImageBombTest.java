package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

import org.ijgenai.core.image.ImageHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;

/**
 * Files that declare huge pictures are refused from their header, before decoding, with the numbers; truncated
 * PNG and JPEG files are warned about.
 */
class ImageBombTest {

    @TempDir
    Path temp;

    /** A valid 64×64 PNG whose IHDR then claims {@code width}×{@code height} (CRC fixed up). */
    private Path bomb(int width, int height) throws Exception {
        return bomb(new ColorProcessor(64, 64), "bomb-" + width + ".png", width, height);
    }

    /** A grey 64×64 PNG whose IHDR claims {@code side}×{@code side}. */
    private Path greyBomb(int side) throws Exception {
        return bomb(new ByteProcessor(64, 64), "grey-" + side + ".png", side, side);
    }

    private Path bomb(ij.process.ImageProcessor picture, String name, int width, int height) throws Exception {
        Path file = temp.resolve(name);
        assertTrue(new FileSaver(new ImagePlus("b", picture)).saveAsPng(file.toString()));
        byte[] png = Files.readAllBytes(file);
        ByteBuffer.wrap(png, 16, 8).putInt(width).putInt(height);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        ByteBuffer.wrap(png, 29, 4).putInt((int) crc.getValue());
        Files.write(file, png);
        return file;
    }

    private static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream[] before = {System.out, System.err};
        int code;
        try {
            // Some subcommands (clip) print to the standard streams they find when they are made.
            System.setOut(stdout);
            System.setErr(stderr);
            code = Main.run(args, stdout, stderr);
        } finally {
            System.setOut(before[0]);
            System.setErr(before[1]);
        }
        return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8),
                out.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void clipIndexSkipsABombWithItsSizeAndIndexesTheRest() throws Exception {
        Path images = Files.createDirectory(temp.resolve("images"));
        Files.move(bomb(26000, 26000), images.resolve("bomb.png"));
        Files.move(greyBomb(40000), images.resolve("grey-bomb.png"));
        Files.copy(Path.of("samples/coffee.png"), images.resolve("coffee.png"));
        long start = System.nanoTime();
        String[] result = run("clip", "index", "--model", "models/shapes-clip", "--images", images.toString(),
                "--index", temp.resolve("index").toString(), "--quiet");
        assertTrue((System.nanoTime() - start) / 1e9 < 60, "refused from the header, not after decoding");
        assertEquals("0", result[0], result[1]);
        assertTrue(result[2].contains("skipped\t" + images.resolve("bomb.png").toAbsolutePath() + "\t"
                + images.resolve("bomb.png").toAbsolutePath() + " declares 26000×26000 pixels (676.0 megapixels)"),
                result[2]);
        assertTrue(result[2].contains("grey-bomb.png declares 40000×40000 pixels"), result[2]);
        assertTrue(result[2].contains("refused before decoding"), result[2]);
        assertFalse(result[2].contains("ArrayIndexOutOfBounds"), result[2]);
        assertTrue(result[2].contains("1 embedded"), result[2]);
    }

    @Test
    void anAllNanImageIsSkippedByClipIndexAndRefusedByClipLabel() throws Exception {
        FloatProcessor nan = new FloatProcessor(32, 32);
        nan.setValue(Double.NaN);
        nan.fill();
        Path images = Files.createDirectory(temp.resolve("measured"));
        Path tiff = images.resolve("nan.tif");
        assertTrue(new FileSaver(new ImagePlus("nan", nan)).saveAsTiff(tiff.toString()));
        Files.copy(Path.of("samples/coffee.png"), images.resolve("coffee.png"));
        String[] index = run("clip", "index", "--model", "models/shapes-clip", "--images", images.toString(),
                "--index", temp.resolve("index").toString(), "--quiet");
        assertEquals("0", index[0], index[1]);
        assertTrue(index[2].contains("skipped\t" + tiff.toAbsolutePath() + "\t" + tiff.toAbsolutePath()
                + " has no finite pixel value (every sample is NaN or infinite), so CLIP would see a blank picture"),
                index[2]);
        assertTrue(index[2].contains("1 embedded"), index[2]);
        String[] label = run("clip", "label", "--model", "models/shapes-clip", "--image", tiff.toString(),
                "--labels", "circle,star");
        assertEquals("1", label[0], label[1]);
        assertTrue(label[1].contains("has no finite pixel value"), label[1]);
        assertFalse(label[2].contains("circle"), "no label printed: " + label[2]);
    }

    @Test
    void clipSearchAndLabelRefuseABombImage() throws Exception {
        Path bomb = bomb(26000, 26000);
        String[] label = run("clip", "label", "--model", "models/shapes-clip", "--image", bomb.toString(),
                "--labels", "circle,star");
        assertEquals("1", label[0], label[1]);
        assertTrue(label[1].contains("declares 26000×26000 pixels"), label[1]);
        assertFalse(label[1].contains("\tat "), label[1]);
    }

    @Test
    void theHeaderIsReadWithoutDecoding() throws Exception {
        ImageHeader header = ImageHeader.read(bomb(26000, 26000));
        assertEquals(26000, header.width());
        assertEquals(676_000_000L, header.pixels());
    }

    @Test
    void img2imgRefusesAnInitImageDeclaringHugeDimensions() throws Exception {
        String[] result = run("img2img", "--model", "models/shapes-sd", "--prompt", "a red circle", "--init",
                bomb(26000, 26000).toString(), "--out", temp.resolve("out.png").toString());
        assertEquals("1", result[0], result[1]);
        assertTrue(result[1].contains("declares 26000×26000 pixels (676.0 megapixels); img2img's init image takes"
                + " at most 16.8 megapixels"), result[1]);
        assertFalse(result[1].contains("\tat "), result[1]);
    }

    @Test
    void inpaintAndExpandRefuseABombAsInitOrMask() throws Exception {
        Path init = temp.resolve("init.png");
        assertTrue(new FileSaver(new ImagePlus("i", new ColorProcessor(64, 64))).saveAsPng(init.toString()));
        String[] mask = run("inpaint", "--model", "models/shapes-sd", "--init", init.toString(), "--mask",
                bomb(26000, 26000).toString(), "--prompt", "a star", "--out", temp.resolve("o.png").toString());
        assertEquals("1", mask[0], mask[1]);
        assertTrue(mask[1].contains("declares 26000×26000 pixels (676.0 megapixels); inpaint's mask takes at most"
                + " 16.8 megapixels"), mask[1]);
        String[] expand = run("expand", "--model", "models/shapes-sd", "--init", bomb(30000, 20000).toString(),
                "--right", "32", "--prompt", "sky", "--out", temp.resolve("e.png").toString());
        assertEquals("1", expand[0], expand[1]);
        assertTrue(expand[1].contains("declares 30000×20000 pixels (600.0 megapixels); expand's init image takes"),
                expand[1]);
        assertFalse(expand[1].contains("\tat ") || mask[1].contains("\tat "), expand[1]);
    }

    @Test
    void styleAndSegmentTakeWhatFitsInMemoryAndRefuseTheRest() throws Exception {
        String[] style = run("style", "--model", "models/ink-gan", "--image", bomb(40000, 40000).toString(),
                "--out", temp.resolve("s.png").toString());
        assertEquals("1", style[0], style[1]);
        assertTrue(style[1].contains("declares 40000×40000 pixels") && style[1].contains("-Xmx"), style[1]);
        String[] diffuse = run("diffuse", "--image", bomb(40000, 40000).toString(), "--frames", "10", "--out",
                temp.resolve("d.tif").toString());
        assertEquals("1", diffuse[0], diffuse[1]);
        assertTrue(diffuse[1].contains("diffuse with 10 frames takes at most"), diffuse[1]);
    }

    @Test
    void truncatedPngAndJpegAreWarnedAbout() throws Exception {
        ColorProcessor rgb = new ColorProcessor(64, 64);
        Path png = temp.resolve("whole.png");
        Path jpeg = temp.resolve("whole.jpg");
        assertTrue(new FileSaver(new ImagePlus("w", rgb)).saveAsPng(png.toString()));
        assertTrue(new FileSaver(new ImagePlus("w", rgb)).saveAsJpeg(jpeg.toString()));
        assertEquals(null, ImageHeader.truncationWarning(png));
        assertEquals(null, ImageHeader.truncationWarning(jpeg));
        for (Path whole : new Path[] {png, jpeg}) {
            byte[] bytes = Files.readAllBytes(whole);
            Path cut = temp.resolve("cut-" + whole.getFileName());
            Files.write(cut, Arrays.copyOf(bytes, bytes.length * 2 / 3));
            String warning = ImageHeader.truncationWarning(cut);
            assertTrue(warning != null && warning.contains("is incomplete"), String.valueOf(warning));
        }
        // A real photo cut at 90 %: ImageJ decodes it, with a grey bottom, and img2img says so.
        Path photo = temp.resolve("photo.jpg");
        assertTrue(new FileSaver(ij.IJ.openImage("samples/coffee.png")).saveAsJpeg(photo.toString()));
        byte[] bytes = Files.readAllBytes(photo);
        Path cutPhoto = temp.resolve("cut-photo.jpg");
        Files.write(cutPhoto, Arrays.copyOf(bytes, bytes.length * 9 / 10));
        String[] result = run("img2img", "--model", "models/shapes-sd", "--prompt", "a red circle", "--steps", "1",
                "--quiet", "--init", cutPhoto.toString(), "--out", temp.resolve("o.png").toString());
        assertEquals("0", result[0], result[1]);
        assertTrue(result[1].contains("ij-genai img2img: warning: " + cutPhoto
                + " is incomplete (the JPEG has no end-of-image marker)"), result[1]);
    }
}
