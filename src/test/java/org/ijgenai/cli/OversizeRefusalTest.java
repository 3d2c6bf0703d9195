package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;

/**
 * Every generating subcommand refuses a size the machine cannot hold before any network runs (in seconds, not
 * after ONNX Runtime's raw "Failed to allocate memory"), with the GiB needed and available, and writes nothing.
 */
class OversizeRefusalTest {

    @TempDir
    Path temp;

    private void assertRefused(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        int code = Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true,
                StandardCharsets.UTF_8));
        double seconds = (System.nanoTime() - start) / 1e9;
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, code, message);
        assertTrue(message.contains("8192×8192 with a UNet batch of 2") && message.contains("GiB of working memory")
                && message.contains("GiB available"), message);
        assertFalse(message.contains("Failed to allocate") || message.contains("\tat "), message);
        assertTrue(seconds < 30, args[0] + " took " + seconds + " s to refuse");
    }

    @Test
    void everyGeneratingSubcommandRefusesAnImpossibleSizeUpFront() throws Exception {
        String[] size = {"--width", "8192", "--height", "8192"};
        Path out = temp.resolve("out");
        assertRefused(concat(new String[] {"txt2img", "--model", "shapes-sd", "--prompt", "a red circle", "--steps",
                "1", "--quiet", "--out", out + ".png"}, size));
        assertRefused(concat(new String[] {"attention", "--model", "shapes-sd", "--prompt", "a red circle",
                "--steps", "1", "--quiet", "--out", out.toString()}, size));
        assertRefused(concat(new String[] {"grid", "--model", "shapes-sd", "--prompt", "a red circle", "--steps", "1",
                "--x", "seed=1,2", "--quiet", "--out", out + ".png"}, size));
        assertRefused(concat(new String[] {"walk", "--model", "shapes-sd", "--prompt", "a red circle", "--steps", "1",
                "--seeds", "1,2", "--frames", "2", "--quiet", "--out", out + ".tif"}, size));
        ColorProcessor rgb = new ColorProcessor(64, 64);
        rgb.setColor(0x3366cc);
        rgb.fill();
        Path init = temp.resolve("in.png");
        assertTrue(new FileSaver(new ImagePlus("in", rgb)).saveAsPng(init.toString()));
        assertRefused(concat(new String[] {"expand", "--model", "shapes-sd", "--init", init.toString(), "--right",
                "32", "--prompt", "a red circle", "--steps", "1", "--quiet", "--out", out + ".png"}, size));
        try (var files = Files.list(temp)) {
            assertEquals(java.util.List.of(init), files.toList(), "nothing written");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
