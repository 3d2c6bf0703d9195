package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;

/** {@code ij-genai attention} on the bundled shapes-sd: the files it writes and the errors it gives. */
class AttentionCommandTest {

    private static int run(PrintStream out, String... args) throws Exception {
        AttentionCommand command = new AttentionCommand(out);
        return command.run(new CliArgs(List.of(args), command.flags()));
    }

    @Test
    void writesTheImageTheWordMapsTheStepHyperstackAndTheOverlays(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("models/shapes-sd")), "models/shapes-sd is not in this checkout");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int code = run(new PrintStream(text, true, StandardCharsets.UTF_8), "--model", "models/shapes-sd",
                "--prompt", "a red circle on a blue background", "--steps", "4", "--scheduler", "ddim", "--seed", "3",
                "--lut", "jet", "--out", dir.toString(), "--quiet");
        assertEquals(0, code);
        assertTrue(text.toString(StandardCharsets.UTF_8).contains("7 words: a red circle on a blue background"),
                text.toString(StandardCharsets.UTF_8));
        ImagePlus maps = IJ.openImage(dir.resolve("attention.tif").toString());
        assertEquals(7, maps.getStackSize());
        assertEquals(32, maps.getBitDepth());
        assertEquals("\"circle\"", maps.getStack().getSliceLabel(3));
        ImagePlus steps = IJ.openImage(dir.resolve("attention-steps.tif").toString());
        assertEquals(7, steps.getNChannels());
        assertEquals(4, steps.getNFrames());
        assertTrue(steps.getStack().getSliceLabel(7 * 3 + 3).startsWith("\"circle\" · step 4/4 · t="),
                steps.getStack().getSliceLabel(7 * 3 + 3));
        assertEquals(24, IJ.openImage(dir.resolve("attention-overlay.tif").toString()).getBitDepth());
        assertTrue(Files.isRegularFile(dir.resolve("image.png")));
    }

    @Test
    void textAttentionWritesTheMatricesAndTheEmbeddings(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("models/shapes-sd")), "models/shapes-sd is not in this checkout");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        TextAttentionCommand command = new TextAttentionCommand(new PrintStream(text, true, StandardCharsets.UTF_8));
        assertEquals(0, command.run(new CliArgs(List.of("--model", "models/shapes-sd", "--prompt", "a red circle",
                "--out", dir.toString()), java.util.Set.of())));
        ImagePlus attention = IJ.openImage(dir.resolve("text-attention.tif").toString());
        assertEquals(4, attention.getNSlices(), "heads");
        assertEquals(4, attention.getNFrames(), "layers");
        // 5 tokens of 64 pixels right of and below the label margins, which the TIFF keeps with the overlay.
        int margin = attention.getWidth() - 5 * 64;
        assertTrue(margin > 0, "a margin for the row labels");
        assertEquals(margin + 5 * 64, attention.getHeight(), "and as much for the column labels");
        assertEquals(10, attention.getOverlay().size(), "a row and a column label per token");
        assertTrue(Float.isNaN(attention.getProcessor().getf(1, 1)), "the margins hold no values");
        ImagePlus embeddings = IJ.openImage(dir.resolve("embeddings.tif").toString());
        assertEquals(3, embeddings.getStackSize());
        assertEquals(margin + 128, embeddings.getWidth());
    }

    @Test
    void aBadStepListIsAUsageError(@TempDir Path dir) {
        UsageException e = assertThrows(UsageException.class, () -> run(System.out, "--model", "models/shapes-sd",
                "--prompt", "circle", "--aggregate", "3-1", "--out", dir.toString()));
        assertTrue(e.getMessage().contains("--aggregate"), e.getMessage());
    }

    /** A 128×128 blue picture with a red disc, and a white-on-black mask of a square around the disc. */
    private static Path[] pictureAndMask(Path dir) throws Exception {
        java.awt.image.BufferedImage picture = new java.awt.image.BufferedImage(128, 128,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.image.BufferedImage mask = new java.awt.image.BufferedImage(128, 128,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                boolean disc = (x - 60) * (x - 60) + (y - 70) * (y - 70) < 15 * 15;
                picture.setRGB(x, y, disc ? 0xdc2828 : 0x1e3cc8);
                mask.setRGB(x, y, x >= 40 && x < 80 && y >= 50 && y < 90 ? 0xffffff : 0);
            }
        }
        Path[] files = {dir.resolve("picture.png"), dir.resolve("mask.png")};
        javax.imageio.ImageIO.write(picture, "png", files[0].toFile());
        javax.imageio.ImageIO.write(mask, "png", files[1].toFile());
        return files;
    }

    private static int[] pixels(Path png) {
        ImagePlus imp = IJ.openImage(png.toString());
        return (int[]) imp.getProcessor().convertToRGB().getPixels();
    }

    /** Runs a plain {@code img2img} or {@code inpaint} and the same through {@code attention}; checks both agree. */
    private static ImagePlus sameRunWithAttention(Path dir, List<String> plain, List<String> attention, int words)
            throws Exception {
        List<String> plainArgs = new java.util.ArrayList<>(plain);
        plainArgs.addAll(List.of("--out", dir.resolve("plain.png").toString(), "--steps-out",
                dir.resolve("steps.tif").toString(), "--quiet"));
        int code = Main.run(plainArgs.toArray(new String[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, code, String.join(" ", plainArgs));
        Path out = dir.resolve("attention");
        List<String> attentionArgs = new java.util.ArrayList<>(attention);
        attentionArgs.addAll(List.of("--out", out.toString(), "--quiet"));
        assertEquals(0, run(new PrintStream(new ByteArrayOutputStream()), attentionArgs.toArray(new String[0])));
        assertTrue(java.util.Arrays.equals(pixels(dir.resolve("plain.png")), pixels(out.resolve("image.png"))),
                "the attention run's image is the plain run's output");
        // One frame per UNet evaluation, labelled with the plain run's step labels, one channel per word.
        ImagePlus steps = IJ.openImage(dir.resolve("steps.tif").toString());
        ImagePlus hyperstack = IJ.openImage(out.resolve("attention-steps.tif").toString());
        assertEquals(words, hyperstack.getNChannels());
        assertEquals(steps.getStackSize(), hyperstack.getNFrames());
        for (int frame = 1; frame <= steps.getStackSize(); frame++) {
            String label = hyperstack.getStack().getSliceLabel((frame - 1) * words + 2);
            assertEquals("\"circle\" · " + steps.getStack().getSliceLabel(frame), label);
        }
        ImagePlus maps = IJ.openImage(out.resolve("attention.tif").toString());
        assertEquals(words, maps.getStackSize());
        assertEquals(IJ.openImage(dir.resolve("plain.png").toString()).getWidth(), maps.getWidth());
        return maps;
    }

    @Test
    void img2imgAttentionRunsThePlainImg2ImgWithItsStepsAsFrames(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("models/shapes-sd")), "models/shapes-sd is not in this checkout");
        Path picture = pictureAndMask(dir)[0];
        List<String> common = List.of("--model", "models/shapes-sd", "--init", picture.toString(), "--prompt",
                "a circle", "--strength", "0.6", "--steps", "8", "--scheduler", "ddim", "--seed", "5");
        List<String> plain = new java.util.ArrayList<>(List.of("img2img"));
        plain.addAll(common);
        sameRunWithAttention(dir, plain, common, 2);
    }

    @Test
    void inpaintAttentionRunsThePlainFillAndPlacesTheMapsOnItsRegion(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("models/shapes-sd")), "models/shapes-sd is not in this checkout");
        Path[] files = pictureAndMask(dir);
        List<String> common = List.of("--model", "models/shapes-sd", "--init", files[0].toString(), "--mask",
                files[1].toString(), "--prompt", "a circle", "--steps", "6", "--seed", "2", "--grow", "2",
                "--blend", "4");
        List<String> plain = new java.util.ArrayList<>(List.of("inpaint"));
        plain.addAll(common);
        ImagePlus maps = sameRunWithAttention(dir, plain, common, 2);
        // Only the masked region (the square's box plus padding, at the model's 64×64) was generated: the maps
        // cover that region of the 128×128 picture and are 0 elsewhere.
        String[] region = ImageFiles.readPngText(dir.resolve("plain.png")).get("region").split(",");
        int x1 = Integer.parseInt(region[0]);
        int y1 = Integer.parseInt(region[1]);
        int x2 = Integer.parseInt(region[2]);
        int y2 = Integer.parseInt(region[3]);
        assertTrue(x2 - x1 < 128 && y2 - y1 < 128, "a part of the picture: " + String.join(",", region));
        float[] circle = (float[]) maps.getStack().getPixels(2);
        double inside = 0;
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                boolean in = x >= x1 && x < x2 && y >= y1 && y < y2;
                if (!in) {
                    assertEquals(0f, circle[y * 128 + x], 0f, "outside the region at " + x + "," + y);
                } else {
                    inside += circle[y * 128 + x];
                }
            }
        }
        assertTrue(inside > 0, "the map has mass in the region");
    }

    @Test
    void attentionOptionsForImagesNeedAnImage(@TempDir Path dir) {
        UsageException mask = assertThrows(UsageException.class, () -> run(System.out, "--model",
                "models/shapes-sd", "--prompt", "circle", "--mask", "m.png", "--out", dir.toString()));
        assertTrue(mask.getMessage().contains("--mask needs --init"), mask.getMessage());
        UsageException strength = assertThrows(UsageException.class, () -> run(System.out, "--model",
                "models/shapes-sd", "--prompt", "circle", "--strength", "0.5", "--out", dir.toString()));
        assertTrue(strength.getMessage().contains("--strength needs --init"), strength.getMessage());
    }
}
