package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    }

    private static String range(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            s.append(i > 1 ? "," : "").append(i);
        }
        return s.toString();
    }

    private static void run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GridCommand command = new GridCommand(new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add("--quiet");
        assertEquals(0, command.run(new CliArgs(all, command.flags())), out.toString(StandardCharsets.UTF_8));
    }
}
