package org.ijgenai.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

/**
 * ImageJ installations assembled from the build as a user would (a plain ImageJ 1.x, a Fiji from the update
 * site), and the check they share: Text to Image on the bundled shapes-sd from a macro, compared pixel for pixel
 * with the launcher's txt2img of the same request, and the Models listing naming the bundled models.
 */
public final class ImageJInstalls {

    /** The request both front ends run. */
    public static final String PROMPT = "a red circle on a blue background";

    private ImageJInstalls() {}

    /** Copies a folder tree. */
    public static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /**
     * Runs, with {@code ij.ImageJ -ijpath imagej -batch}, a macro that makes the picture with Text to Image and
     * lists the models, under Xvfb (plain ImageJ's GenericDialog needs a display even in batch mode), with a fresh
     * home, so no other models folder can help; then checks the picture against {@code bin/ij-genai txt2img}.
     *
     * @param classPath the JVM class path, as the installation's own launcher would build it
     * @return the macro's output (the Log), for further checks
     */
    public static String textToImageMatchesTheLauncher(Path imagej, List<String> classPath, Path tmp)
            throws Exception {
        Processes.requireTool("xvfb-run", "xvfb");
        Path picture = tmp.resolve("from-imagej.png");
        Path macro = tmp.resolve("t2i.ijm");
        Files.writeString(macro, "run(\"Text to Image (Stable Diffusion)...\", \"model=shapes-sd prompt=[" + PROMPT
                + "] guidance=7.5 steps=20 scheduler=ddim width=64 height=64 images=1 seed=3 step=none\");\n"
                + "print(\"images=\" + nImages + \" size=\" + getWidth() + \"x\" + getHeight());\n"
                + "saveAs(\"PNG\", \"" + picture + "\");\n"
                + "run(\"Models...\", \"action=list\");\n", StandardCharsets.UTF_8);
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.toString());
        env.put("IJ_GENAI_MODELS", null);
        env.put("IJ_GENAI_CACHE", null);
        List<String> command = new ArrayList<>(List.of(Processes.java(), "-Duser.home=" + tmp, "-cp",
                String.join(":", classPath), "ij.ImageJ", "-ijpath", imagej.toString(), "-batch", macro.toString()));
        Processes.Result run = Processes.run(Processes.underXvfb(command), tmp, env, 300);
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.output().contains("images=1 size=64x64"), run.describe());
        assertTrue(Files.isRegularFile(picture), "the macro saved no picture: " + run.describe());

        Path reference = tmp.resolve("from-launcher.png");
        Processes.Result cli = Processes.run(List.of(Dist.launcher().toString(), "txt2img", "--model", "shapes-sd",
                "--prompt", PROMPT, "--guidance", "7.5", "--steps", "20", "--scheduler", "ddim", "--width", "64",
                "--height", "64", "--seed", "3", "--out", reference.toString()), tmp, env, 300);
        assertEquals(0, cli.exitCode(), cli.describe());
        BufferedImage expected = ImageIO.read(reference.toFile());
        BufferedImage actual = ImageIO.read(picture.toFile());
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                assertEquals(expected.getRGB(x, y) & 0xffffff, actual.getRGB(x, y) & 0xffffff,
                        "pixel (" + x + ", " + y + ") differs from the launcher's txt2img");
            }
        }
        // Independently of both: shapes-sd draws this prompt as a red blob in a blue field.
        int centre = actual.getRGB(32, 32);
        int corner = actual.getRGB(2, 2);
        assertTrue(((centre >> 16) & 0xff) > (centre & 0xff), "the middle is red: " + Integer.toHexString(centre));
        assertTrue((corner & 0xff) > ((corner >> 16) & 0xff), "the corner is blue: " + Integer.toHexString(corner));
        return run.output();
    }

    /** The Models listing's row of {@code name}, which must say "bundled". */
    public static void listsBundled(String log, String name) {
        assertTrue(log.lines().anyMatch(l -> l.startsWith(name + "\t") && l.contains("\tbundled\t")),
                name + " is listed as bundled: " + log);
    }
}
