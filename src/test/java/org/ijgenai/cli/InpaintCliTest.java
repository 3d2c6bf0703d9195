package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inpaint} and {@code expand} on the bundled 4-channel shapes-sd: compositing keeps every pixel outside the
 * grown mask, strength 0 changes nothing, "only masked" generates at the model's size, and each kind of bad input
 * is a one-line error with no output written.
 */
class InpaintCliTest {

    private static final Path SHAPES = Path.of("models/shapes-sd");
    private static final int BLUE = 0x1E3CC8;

    @TempDir
    Path temp;

    @BeforeEach
    void needsTheBundledModel() {
        assumeTrue(Files.isDirectory(SHAPES), "models/shapes-sd is not in this checkout");
    }

    private Path picture(String name, int w, int h) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, BLUE + ((x * 7 + y * 3) % 5));
            }
        }
        Path file = temp.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private Path mask(String name, int w, int h, int x1, int y1, int x2, int y2) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = y1; y < y2; y++) {
            for (int x = x1; x < x2; x++) {
                image.getRaster().setSample(x, y, 0, 255);
            }
        }
        Path file = temp.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private record Run(int code, String out, String err) {}

    private Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out), new PrintStream(err));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private List<String> base(Path init, Path mask, Path out) {
        return new ArrayList<>(List.of("inpaint", "--model", SHAPES.toString(), "--init", init.toString(), "--mask",
                mask.toString(), "--prompt", "a yellow star", "--steps", "6", "--seed", "3", "--out", out.toString(),
                "--quiet"));
    }

    @Test
    void compositeKeepsEveryPixelOutsideTheGrownMask() throws Exception {
        Path init = picture("init.png", 64, 64);
        Path out = temp.resolve("out.png");
        List<String> args = base(init, mask("m.png", 64, 64, 20, 18, 41, 43), out);
        args.addAll(List.of("--grow", "3", "--feather", "6", "--blend", "4"));
        Run run = cli(args.toArray(new String[0]));
        assertEquals(0, run.code(), run.err());
        BufferedImage before = ImageIO.read(init.toFile());
        BufferedImage after = ImageIO.read(out.toFile());
        int changed = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                boolean grown = x >= 17 && x < 44 && y >= 15 && y < 46;
                if (!grown) {
                    assertEquals(before.getRGB(x, y), after.getRGB(x, y), "pixel " + x + "," + y);
                } else if (before.getRGB(x, y) != after.getRGB(x, y)) {
                    changed++;
                }
            }
        }
        assertTrue(changed > 100, "only " + changed + " pixels were repainted");
    }

    @Test
    void strengthZeroChangesNothing() throws Exception {
        Path init = picture("init.png", 64, 64);
        Path out = temp.resolve("out.png");
        List<String> args = base(init, mask("m.png", 64, 64, 10, 10, 50, 50), out);
        args.addAll(List.of("--strength", "0"));
        Run run = cli(args.toArray(new String[0]));
        assertEquals(0, run.code(), run.err());
        BufferedImage before = ImageIO.read(init.toFile());
        BufferedImage after = ImageIO.read(out.toFile());
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                assertEquals(before.getRGB(x, y), after.getRGB(x, y));
            }
        }
    }

    @Test
    void onlyMaskedContextGeneratesATinySelectionOfAHugeImageAtTheModelsSize() throws Exception {
        Path init = picture("big.png", 2000, 1500);
        Path out = temp.resolve("out.png");
        Run run = cli(base(init, mask("m.png", 2000, 1500, 900, 700, 920, 720), out).toArray(new String[0]));
        assertEquals(0, run.code(), run.err());
        var text = ImageFiles.readPngText(out);
        assertEquals("64", text.get("width"), text.toString());
        assertEquals("64", text.get("height"));
        // The 20×20 box plus 32 px padding: 84×84, already square.
        assertEquals("868,668,952,752", text.get("region"));
        BufferedImage after = ImageIO.read(out.toFile());
        assertEquals(2000, after.getWidth());
        assertEquals(1500, after.getHeight());
        assertEquals(BLUE + ((5 * 7 + 5 * 3) % 5), after.getRGB(5, 5) & 0xFFFFFF);
    }

    @Test
    void expandAddsTheBorderAndKeepsTheOriginalOutsideTheOverlap() throws Exception {
        Path init = picture("init.png", 64, 64);
        Path out = temp.resolve("out.png");
        Run run = cli("expand", "--model", SHAPES.toString(), "--init", init.toString(), "--right", "32",
                "--prompt", "a red circle on a blue background", "--steps", "6", "--seed", "1", "--out",
                out.toString(), "--quiet");
        assertEquals(0, run.code(), run.err());
        BufferedImage before = ImageIO.read(init.toFile());
        BufferedImage after = ImageIO.read(out.toFile());
        assertEquals(96, after.getWidth());
        assertEquals(64, after.getHeight());
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64 - 8; x++) {
                assertEquals(before.getRGB(x, y), after.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void maskOfTheWrongSizeIsRefusedNamingBothFiles() throws Exception {
        Path out = temp.resolve("out.png");
        Run run = cli(base(picture("init.png", 64, 64), mask("small.png", 32, 32, 0, 0, 10, 10), out)
                .toArray(new String[0]));
        assertEquals(1, run.code());
        assertTrue(run.err().contains("small.png is 32×32") && run.err().contains("init.png is 64×64"), run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void emptyAndFullMasksAreRefused() throws Exception {
        Path out = temp.resolve("out.png");
        Run empty = cli(base(picture("init.png", 64, 64), mask("empty.png", 64, 64, 0, 0, 0, 0), out)
                .toArray(new String[0]));
        assertEquals(1, empty.code());
        assertTrue(empty.err().contains("the mask is empty"), empty.err());
        Run full = cli(base(picture("init.png", 64, 64), mask("full.png", 64, 64, 0, 0, 64, 64), out)
                .toArray(new String[0]));
        assertEquals(1, full.code());
        assertTrue(full.err().contains("covers the whole image"), full.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void inpaintingModelRefusesFourChannelOptionsAndTextToImage() throws Exception {
        Path model = Fixtures.file("tiny-sd-inpaint-onnx");
        Path out = temp.resolve("out.png");
        List<String> args = base(picture("init.png", 64, 64), mask("m.png", 64, 64, 8, 8, 30, 30), out);
        args.set(2, model.toString());
        args.addAll(List.of("--strength", "0.5"));
        Run strength = cli(args.toArray(new String[0]));
        assertEquals(1, strength.code());
        assertTrue(strength.err().contains("strength and masked content apply to 4-channel models"), strength.err());
        args.subList(args.size() - 2, args.size()).clear();
        args.addAll(List.of("--masked-content", "fill"));
        Run content = cli(args.toArray(new String[0]));
        assertEquals(1, content.code());
        assertTrue(content.err().contains("9-channel"), content.err());
        Run txt2img = cli("txt2img", "--model", model.toString(), "--prompt", "x", "--steps", "2", "--out",
                out.toString(), "--quiet");
        assertEquals(1, txt2img.code());
        assertTrue(txt2img.err().contains("is an inpainting UNet"), txt2img.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void badOptionValuesAreUsageErrors() throws Exception {
        Path out = temp.resolve("out.png");
        List<String> args = base(picture("init.png", 64, 64), mask("m.png", 64, 64, 8, 8, 30, 30), out);
        args.addAll(List.of("--masked-content", "blurry"));
        Run run = cli(args.toArray(new String[0]));
        assertEquals(2, run.code());
        assertTrue(run.err().contains("masked content must be original, fill, latent_noise or latent_nothing"),
                run.err());
        List<String> composite = base(picture("init.png", 64, 64), mask("m.png", 64, 64, 8, 8, 30, 30), out);
        composite.addAll(List.of("--composite", "maybe"));
        assertEquals(2, cli(composite.toArray(new String[0])).code());
    }
}
