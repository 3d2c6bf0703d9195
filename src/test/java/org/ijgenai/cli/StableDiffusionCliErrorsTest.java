package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ShortProcessor;

/** Bad input on the txt2img/img2img command line gets one clear line and a non-zero exit code, never a trace. */
class StableDiffusionCliErrorsTest {

    @TempDir
    Path temp;

    private String[] run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
    }

    private static void assertOneLine(String[] result, String expectedFragment) {
        assertFalse(result[0].equals("0"), result[1]);
        assertTrue(result[1].contains(expectedFragment), result[1]);
        assertFalse(result[1].contains("\tat "), result[1]);
    }

    @Test
    void aFolderThatIsNotAModelIsRefused() throws Exception {
        Files.writeString(temp.resolve("readme.txt"), "not a model");
        assertOneLine(run("txt2img", "--model", temp.toString(), "--prompt", "a cat", "--out",
                temp.resolve("x.png").toString()), "not a Stable Diffusion");
    }

    @Test
    void missingPromptStrengthAndSizesAreExplained() {
        String model = Fixtures.file("tiny-sd-onnx").toString();
        String out = temp.resolve("x.png").toString();
        String[] missing = run("txt2img", "--model", model, "--prompt", "--out", out);
        assertOneLine(missing, "option --prompt needs a value, but --out follows it");
        assertEquals("2", missing[0]);
        String[] absent = run("txt2img", "--model", model, "--out", out);
        assertOneLine(absent, "missing required option --prompt");
        assertEquals("2", absent[0]);
        assertOneLine(run("txt2img", "--model", model, "--prompt"), "option --prompt needs a value");
        assertOneLine(run("txt2img", "--model", model, "--prompt", "a cat", "--width", "60", "--out", out),
                "multiples of 8");
        assertOneLine(run("img2img", "--model", model, "--prompt", "a cat", "--init", out, "--strength", "1.5",
                "--out", out), "strength");
        assertOneLine(run("txt2img", "--model", model, "--prompt", "a cat", "--scheduler", "heun", "--out", out),
                "unknown scheduler");
        assertOneLine(run("txt2img", "--model", model, "--prompt", "a cat", "--out", temp.resolve("x.jpg")
                .toString()), "--out must end in .png or .tif");
    }

    @Test
    void sixteenBitAndStackInitImagesAreExplained() {
        String model = Fixtures.file("tiny-sd-onnx").toString();
        Path sixteen = temp.resolve("deep.tif");
        new FileSaver(new ImagePlus("deep", new ShortProcessor(64, 64))).saveAsTiff(sixteen.toString());
        String[] result = run("img2img", "--model", model, "--prompt", "a cat", "--init", sixteen.toString(),
                "--out", temp.resolve("x.png").toString());
        assertOneLine(result, "16-bit");
        assertEquals("1", result[0]);
    }
}
