package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

import org.ijgenai.core.diffusion.A1111Parameters;
import org.ijgenai.core.diffusion.ModelHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code txt2img --from FILE.png} on the bundled shapes-sd model: the parameters written with a weighted,
 * two-chunk prompt make the same picture again, and an A1111-style PNG is read with its unused fields named.
 */
class GenerateFromPngTest {

    private static final String PROMPT = "(a red circle:1.3) on a [blue] background, " + "a red circle, ".repeat(30)
            + "BREAK a yellow star";

    @TempDir
    Path temp;

    @Test
    void fromReproducesTheImageBitForBit() throws Exception {
        Path first = temp.resolve("first.png");
        run("txt2img", "--model", "models/shapes-sd", "--prompt", PROMPT, "--negative", "blurry", "--seed", "7",
                "--steps", "6", "--cfg", "6.5", "--scheduler", "dpmpp_2m", "--emphasis", "No norm", "--out",
                first.toString(), "--quiet");
        Map<String, String> text = ImageFiles.readPngText(first);
        assertEquals("No norm", text.get("emphasis"));
        A1111Parameters.Parsed parsed = A1111Parameters.parse(text.get("parameters"));
        assertEquals(PROMPT, parsed.values().get("prompt"));
        assertEquals("7", parsed.values().get("seed"));
        assertEquals("dpmpp_2m", parsed.values().get("scheduler"));
        assertEquals("No norm", parsed.values().get("emphasis"));
        String hash = new ModelHash(null).shortHash(Path.of("models/shapes-sd/unet/model.onnx"));
        assertEquals(hash, text.get("model_hash"));
        assertEquals(hash, parsed.values().get("model_hash"));
        assertEquals("shapes-sd", parsed.values().get("model"));
        assertTrue(text.get("parameters").contains(", Model hash: " + hash + ", Model: shapes-sd"),
                text.get("parameters"));
        Path again = temp.resolve("again.png");
        run("txt2img", "--from", first.toString(), "--out", again.toString(), "--quiet");
        assertArrayEquals(pixels(first), pixels(again));
    }

    @Test
    void anA1111PngIsReadAndItsUnusedFieldsAreNamed() throws Exception {
        Path a1111 = temp.resolve("a1111.png");
        ImageFiles.writePng(a1111, new int[64 * 64], 64, 64, Map.of("parameters",
                "a red circle on a blue background\nNegative prompt: blurry\nSteps: 5, Sampler: Euler a, "
                        + "CFG scale: 7, Seed: 99, Size: 64x64, Model hash: abc, Clip skip: 2, Version: v1.10.1"));
        Path from = temp.resolve("from.png");
        PrintStream err = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        String printed;
        try {
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
            printed = run("txt2img", "--model", "models/shapes-sd", "--from", a1111.toString(), "--out",
                    from.toString(), "--quiet");
        } finally {
            System.setErr(err);
        }
        assertTrue(printed.contains("a1111.png: ignoring Clip skip, Version"), printed);
        String hash = new ModelHash(null).shortHash(Path.of("models/shapes-sd/unet/model.onnx"));
        assertTrue(warnings.toString(StandardCharsets.UTF_8).contains("warning: a1111.png was made with a model of"
                + " Model hash abc, but 'shapes-sd' in use now has hash " + hash), warnings.toString());
        Path direct = temp.resolve("direct.png");
        run("txt2img", "--model", "models/shapes-sd", "--prompt", "a red circle on a blue background", "--negative",
                "blurry", "--steps", "5", "--scheduler", "euler_a", "--cfg", "7", "--seed", "99", "--width", "64",
                "--height", "64", "--out", direct.toString(), "--quiet");
        assertArrayEquals(pixels(direct), pixels(from));
    }

    private static String run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GenerateCommand command = new GenerateCommand(false, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals("txt2img", args[0]);
        int code = command.run(new CliArgs(List.of(args).subList(1, args.length), command.flags()));
        String message = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, message);
        return message;
    }

    private static int[] pixels(Path png) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
