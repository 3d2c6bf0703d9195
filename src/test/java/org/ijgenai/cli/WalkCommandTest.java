package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.ijgenai.core.diffusion.LatentWalk;
import org.ijgenai.core.diffusion.ModelHash;
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

    @Test
    void aPromptWalkKeepsOneSeedAndItsEndpointsAreThePlainGenerationsOfThePrompts() throws Exception {
        String a = "a red circle on a blue background";
        // Two chunks against one: the frames between pad the first prompt with the empty chunk.
        String b = "a yellow star on a green background BREAK a red circle";
        Path stack = temp.resolve("prompts.tif");
        run("--model", "models/shapes-sd", "--prompt", a, "--prompt", b, "--seed", "5", "--frames", "2",
                "--steps", "4", "--scheduler", "euler", "--out", stack.toString());
        ImagePlus imp = IJ.openImage(stack.toString());
        assertEquals(List.of("1: prompt 1", "2: prompt 1→2 t=0.500", "3: prompt 2"), labels(imp));
        assertArrayEquals(plain(a, 5, "euler"), rgb(imp, 1));
        assertArrayEquals(plain(b, 5, "euler"), rgb(imp, 3));
        assertFalse(Arrays.equals(rgb(imp, 1), rgb(imp, 2)));
        assertFalse(Arrays.equals(rgb(imp, 3), rgb(imp, 2)));
        String info = (String) imp.getProperty("Info");
        assertTrue(info.contains("walk_prompt2: " + b) && info.contains("seed: 5"), info);
        String hash = new ModelHash(null).shortHash(Path.of("models/shapes-sd/unet/model.onnx"));
        assertTrue(info.contains("\nmodel_hash: " + hash + "\n"), info);
    }

    @Test
    void seedsAndPromptsWalkTogetherOneKeyframeEach() throws Exception {
        String a = "a red circle on a blue background";
        String b = "a yellow star on a green background";
        Path stack = temp.resolve("both.tif");
        run("--model", "models/shapes-sd", "--prompt", a, "--prompt", b, "--seeds", "3,8", "--frames", "2",
                "--steps", "4", "--scheduler", "euler_a", "--out", stack.toString());
        ImagePlus imp = IJ.openImage(stack.toString());
        assertEquals(List.of("1: seed 3 · prompt 1", "2: seed 3→8 · prompt 1→2 t=0.500", "3: seed 8 · prompt 2"),
                labels(imp));
        assertArrayEquals(plain(a, 3, "euler_a"), rgb(imp, 1));
        assertArrayEquals(plain(b, 8, "euler_a"), rgb(imp, 3));
    }

    @Test
    void badWalksAreRefusedWithTheReason() {
        UsageException counts = assertThrows(UsageException.class, () -> run("--model", "models/shapes-sd",
                "--prompt", "a cat", "--prompt", "a dog", "--seeds", "1,2,3", "--out", "w.tif"));
        assertEquals("a walk over seeds and prompts together needs as many seeds as prompts (one keyframe each),"
                + " got 3 seeds and 2 prompts", counts.getMessage());
        UsageException many = assertThrows(UsageException.class, () -> run("--model", "models/shapes-sd",
                "--prompt", "a cat", "--seeds", "1,2,3", "--frames", "5000", "--out", "w.tif"));
        assertEquals("the walk has 10001 frames (2 segments × 5000 + 1); the limit is " + LatentWalk.MAX_FRAMES
                + " (each frame is one generation)", many.getMessage());
        UsageException nothing = assertThrows(UsageException.class, () -> run("--model", "models/shapes-sd",
                "--prompt", "a cat", "--seed", "4", "--out", "w.tif"));
        assertEquals("a walk needs two or more seeds or two or more prompts to walk between", nothing.getMessage());
        UsageException scheduler = assertThrows(UsageException.class, () -> run("--model", "models/shapes-sd",
                "--prompt", "a cat", "--seeds", "1,2", "--scheduler", "heun", "--out", "w.tif"));
        assertTrue(scheduler.getMessage().startsWith("--scheduler: unknown scheduler 'heun'"), scheduler.getMessage());
    }

    private static void run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WalkCommand command = new WalkCommand(new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add("--quiet");
        assertEquals(0, command.run(new CliArgs(all, command.flags())), out.toString(StandardCharsets.UTF_8));
    }

    private static List<String> labels(ImagePlus imp) {
        List<String> labels = new java.util.ArrayList<>();
        for (int i = 1; i <= imp.getStackSize(); i++) {
            labels.add(imp.getStack().getSliceLabel(i));
        }
        return labels;
    }

    private static int[] rgb(ImagePlus imp, int slice) {
        return Arrays.stream((int[]) imp.getStack().getProcessor(slice).getPixels()).map(p -> p & 0xFFFFFF).toArray();
    }

    private static int[] plain(long seed) {
        return plain("a red circle on a blue background", seed, "euler_a");
    }

    private static int[] plain(String prompt, long seed, String scheduler) {
        GenerationRequest request = new GenerationRequest(List.of(prompt), null, seed, 4,
                GenerationRequest.DEFAULT_GUIDANCE, scheduler, 0, 0, 1, GenerationRequest.DEFAULT_STRENGTH);
        return Arrays.stream(new GenerationJob().setModel("models/shapes-sd").setRequest(request).run().images().rgb(0))
                .map(p -> p & 0xFFFFFF).toArray();
    }
}
