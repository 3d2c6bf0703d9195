package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

import ij.IJ;
import ij.ImagePlus;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.ParameterGrid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code grid} on the bundled shapes-sd: every cell is the single generation with its values, labelled. */
class GridCommandTest {

    @TempDir
    Path temp;

    @Test
    void everyCellEqualsTheSingleGenerationAndTheLabelsMatchTheAxes() throws Exception {
        Path montage = temp.resolve("grid.png");
        Path stack = temp.resolve("grid.tif");
        Path table = temp.resolve("cells.csv");
        run("--model", "models/shapes-sd", "--prompt", "a red circle on a blue background", "--steps", "3",
                "--x", "seed=1,2", "--y", "scheduler=euler,ddim", "--z", "prompt_sr=red,yellow", "--out",
                montage.toString(), "--stack", stack.toString(), "--table", table.toString());
        ImagePlus imp = IJ.openImage(stack.toString());
        assertEquals(8, imp.getStackSize());
        // One dimension per axis: X slices, Y frames, Z channels.
        assertEquals(2, imp.getNSlices());
        assertEquals(2, imp.getNFrames());
        assertEquals(2, imp.getNChannels());
        assertEquals("Seed: 2 · Scheduler: ddim · yellow", imp.getStack().getSliceLabel(8));
        assertEquals("Seed: 1 · Scheduler: euler · red", imp.getStack().getSliceLabel(1));
        assertEquals("Seed: 2 · Scheduler: euler · yellow", imp.getStack().getSliceLabel(imp.getStackIndex(2, 2, 1)));
        int[][] cells = {{1, 0, 0}, {2, 1, 1}};
        for (int[] c : cells) {
            String prompt = c[2] == 0 ? "a red circle on a blue background" : "a yellow circle on a blue background";
            GenerationRequest single = new GenerationRequest(List.of(prompt), null, c[0], 3,
                    GenerationRequest.DEFAULT_GUIDANCE, c[1] == 0 ? "euler" : "ddim", 0, 0, 1,
                    GenerationRequest.DEFAULT_STRENGTH);
            int[] expected = Arrays.stream(new GenerationJob().setModel("models/shapes-sd").setRequest(single).run()
                    .images().rgb(0)).map(p -> p & 0xFFFFFF).toArray();
            int slice = imp.getStackIndex(c[2] + 1, c[0], c[1] + 1);
            int[] actual = Arrays.stream((int[]) imp.getStack().getProcessor(slice).getPixels())
                    .map(p -> p & 0xFFFFFF).toArray();
            assertArrayEquals(expected, actual, "slice " + slice);
        }
        ImagePlus m = IJ.openImage(montage.toString());
        assertEquals(2 * (140 + 2 * 64) + 8, m.getWidth());
        assertEquals(48 + 2 * 64, m.getHeight());
        List<String> lines = Files.readAllLines(table);
        assertEquals(9, lines.size());
        assertTrue(lines.get(0).contains("seed") && lines.get(0).contains("seconds"), lines.get(0));
    }

    @Test
    void img2imgCellsEqualTheImg2imgCommandAlongTheStrengthAxis() throws Exception {
        Path init = picture("init.png");
        Path stack = temp.resolve("img2img.tif");
        run("--model", "models/shapes-sd", "--prompt", "a yellow star on a blue background", "--init",
                init.toString(), "--steps", "5", "--scheduler", "ddim", "--x", "strength=0.4,0.9", "--y", "seed=2,7",
                "--out", temp.resolve("img2img.png").toString(), "--stack", stack.toString());
        ImagePlus imp = IJ.openImage(stack.toString());
        assertEquals("Strength: 0.9 · Seed: 7", imp.getStack().getSliceLabel(4));
        String[][] cells = {{"0.4", "2"}, {"0.9", "2"}, {"0.4", "7"}, {"0.9", "7"}};
        for (int c = 0; c < cells.length; c++) {
            Path single = temp.resolve("single" + c + ".png");
            cli(new GenerateCommand(true, quietOut()), "--model", "models/shapes-sd", "--prompt",
                    "a yellow star on a blue background", "--init", init.toString(), "--steps", "5", "--scheduler",
                    "ddim", "--strength", cells[c][0], "--seed", cells[c][1], "--out", single.toString());
            assertArrayEquals(png(single), slice(imp, c + 1), "cell " + (c + 1));
        }
        assertFalse(Arrays.equals(slice(imp, 1), slice(imp, 2)), "strength changes the picture");
    }

    @Test
    void inpaintCellsEqualTheInpaintCommand() throws Exception {
        Path init = picture("init.png");
        Path mask = temp.resolve("mask.png");
        BufferedImage m = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 16; y < 44; y++) {
            for (int x = 20; x < 40; x++) {
                m.getRaster().setSample(x, y, 0, 255);
            }
        }
        ImageIO.write(m, "png", mask.toFile());
        Path stack = temp.resolve("inpaint.tif");
        run("--model", "models/shapes-sd", "--prompt", "a red circle", "--init", init.toString(), "--mask",
                mask.toString(), "--steps", "4", "--grow", "2", "--x", "strength=0.5,1.0", "--y", "cfg=3,7.5",
                "--seed", "11", "--out", temp.resolve("inpaint.png").toString(), "--stack", stack.toString());
        ImagePlus imp = IJ.openImage(stack.toString());
        String[][] cells = {{"0.5", "3"}, {"1.0", "3"}, {"0.5", "7.5"}, {"1.0", "7.5"}};
        for (int c = 0; c < cells.length; c++) {
            Path single = temp.resolve("fill" + c + ".png");
            cli(new InpaintCommand(false, quietOut()), "--model", "models/shapes-sd", "--prompt", "a red circle",
                    "--init", init.toString(), "--mask", mask.toString(), "--steps", "4", "--grow", "2",
                    "--strength", cells[c][0], "--cfg", cells[c][1], "--seed", "11", "--out", single.toString());
            assertArrayEquals(png(single), slice(imp, c + 1), "cell " + (c + 1));
        }
        assertFalse(Arrays.equals(slice(imp, 1), slice(imp, 2)), "strength changes the fill");
        assertArrayEquals(Arrays.copyOf(png(init), 64 * 10), Arrays.copyOf(slice(imp, 1), 64 * 10), "the composite keeps the top rows");
    }

    @Test
    void badGridsAreRefusedWithTheReason() {
        UsageException huge = assertThrows(UsageException.class, () -> run("--model", "models/shapes-sd", "--prompt",
                "a cat", "--x", "seed=" + range(100), "--y", "steps=" + range(100), "--out", "g.png"));
        assertEquals("the grid has 10000 cells; the limit is " + ParameterGrid.MAX_CELLS
                + " (each cell is one generation)", huge.getMessage());
        UsageException scheduler = assertThrows(UsageException.class, () -> run("--model", "models/shapes-sd",
                "--prompt", "a cat", "--x", "scheduler=euler,heun", "--out", "g.png"));
        assertTrue(scheduler.getMessage().startsWith("--x: grid axis scheduler: unknown scheduler 'heun'"),
                scheduler.getMessage());
        UsageException number = assertThrows(UsageException.class, () -> run("--model", "models/shapes-sd",
                "--prompt", "a cat", "--x", "cfg=7,high", "--out", "g.png"));
        assertEquals("--x: grid axis guidance: 'high' is not a number", number.getMessage());
        UsageException strength = assertThrows(UsageException.class, () -> run("--model", "models/shapes-sd",
                "--prompt", "a cat", "--x", "strength=0.3,0.6", "--out", "g.png"));
        assertEquals("the strength axis needs an init image (img2img) or an init image and a mask (inpainting):"
                + " txt2img has no strength", strength.getMessage());
        UsageException range = assertThrows(UsageException.class, () -> run("--model", "models/shapes-sd",
                "--prompt", "a cat", "--x", "strength=0.3,1.5", "--out", "g.png"));
        assertEquals("--x: grid axis strength: strength 1.5 must be in (0, 1]", range.getMessage());
        UsageException sr = assertThrows(UsageException.class, () -> run("--model", "models/shapes-sd",
                "--prompt", "a cat", "--x", "prompt_sr=dog,bird", "--out", "g.png"));
        assertEquals("grid cell 1 (dog): Prompt S/R: the prompt \"a cat\" does not contain \"dog\", the first value,"
                + " which the others replace", sr.getMessage());
        GenAiException tooLong = assertThrows(GenAiException.class, () -> run("--model", "models/shapes-sd",
                "--prompt", "circle ".repeat(10_000), "--x", "seed=1,2", "--steps", "1", "--out",
                temp.resolve("long.png").toString()));
        assertTrue(tooLong.getMessage().startsWith("the prompt is too long: it needs more than 32 chunks of 75"
                + " tokens"), tooLong.getMessage());
        assertFalse(Files.exists(temp.resolve("long.png")), "no half-written montage");
    }

    private static String range(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            s.append(i > 1 ? "," : "").append(i);
        }
        return s.toString();
    }

    private Path picture(String name) throws Exception {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, x < 32 ? 0x1E3CC8 + (x + y) % 7 : 0xC8281E + (x * y) % 5);
            }
        }
        Path file = temp.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static PrintStream quietOut() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private static void cli(Subcommand command, String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add("--quiet");
        assertEquals(0, command.run(new CliArgs(all, ((Main.FlagAware) command).flags())));
    }

    private static int[] png(Path file) throws Exception {
        BufferedImage image = ImageIO.read(file.toFile());
        return Arrays.stream(image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth()))
                .map(p -> p & 0xFFFFFF).toArray();
    }

    private static int[] slice(ImagePlus imp, int slice) {
        return Arrays.stream((int[]) imp.getStack().getProcessor(slice).getPixels()).map(p -> p & 0xFFFFFF)
                .toArray();
    }

    private static void run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GridCommand command = new GridCommand(new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add("--quiet");
        assertEquals(0, command.run(new CliArgs(all, command.flags())), out.toString(StandardCharsets.UTF_8));
    }
}
