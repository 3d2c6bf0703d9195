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
        assertEquals(5 * 64, attention.getWidth(), "5 tokens of 64 pixels");
        ImagePlus embeddings = IJ.openImage(dir.resolve("embeddings.tif").toString());
        assertEquals(3, embeddings.getStackSize());
        assertEquals(128, embeddings.getWidth());
    }

    @Test
    void aBadStepListIsAUsageError(@TempDir Path dir) {
        UsageException e = assertThrows(UsageException.class, () -> run(System.out, "--model", "models/shapes-sd",
                "--prompt", "circle", "--aggregate", "3-1", "--out", dir.toString()));
        assertTrue(e.getMessage().contains("--aggregate"), e.getMessage());
    }
}
