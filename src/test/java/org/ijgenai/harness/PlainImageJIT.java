package org.ijgenai.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.ijgenai.testing.Dist;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain ImageJ folder made as the README says (ij.jar, and the build's plugins/ copied into its plugins/) runs
 * Text to Image on the bundled shapes-sd headless, with no launcher and no other models folder.
 */
class PlainImageJIT {

    @TempDir
    Path tmp;

    private static void copyTree(Path from, Path to) throws Exception {
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

    @Test
    void textToImageRunsOnTheBundledModelInAPlainImageJ() throws Exception {
        Path imagej = tmp.resolve("ImageJ");
        Files.createDirectories(imagej);
        Files.copy(Dist.dir().resolve("lib/ij.jar"), imagej.resolve("ij.jar"));
        copyTree(Dist.dir().resolve("plugins"), imagej.resolve("plugins"));
        Path macro = tmp.resolve("t2i.ijm");
        Files.writeString(macro, "run(\"Text to Image (Stable Diffusion)...\", \"model=shapes-sd prompt=[a red circle"
                + " on a blue background] steps=2 seed=1\");\nprint(\"images=\" + nImages + \" \" + getWidth());\n",
                StandardCharsets.UTF_8);
        String classPath = imagej.resolve("ij.jar") + ":" + imagej.resolve("plugins/ij_genai.jar") + ":"
                + imagej.resolve("plugins/jars") + "/*";
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.toString());
        env.put("DISPLAY", null);
        env.put("IJ_GENAI_MODELS", null);
        Processes.Result run = Processes.run(List.of(Processes.java(), "-Djava.awt.headless=true",
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "-Dplugins.dir=" + imagej, "-cp", classPath,
                "org.ijgenai.imagej.HeadlessMacroLauncher", macro.toString()), tmp, env, 180);
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.output().contains("images=1 64"), run.describe());
    }
}
