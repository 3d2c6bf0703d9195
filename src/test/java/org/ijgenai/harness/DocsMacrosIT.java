package org.ijgenai.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.ijgenai.testing.Dist;
import org.ijgenai.testing.MarkdownMacros;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every macro example of the docs and the README (a {@code ```ijm} block) runs as written, headless through
 * {@code bin/ij-genai macro}, from a working directory that is not the repository, so a relative path in an
 * example fails here. IS-Net, which {@code segment setup} installs, is stood in for by the segmentation tests'
 * tiny blob model installed as {@code isnet-small} in the user's models folder.
 */
class DocsMacrosIT {

    @TempDir
    Path tmp;

    @Test
    void everyDocsMacroRunsFromAnyWorkingDirectory() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("user models"));
        Path isnet = Files.createDirectories(models.resolve("isnet-small"));
        Path segment = Path.of("src/test/resources/org/ijgenai/core/segment").toAbsolutePath();
        Files.copy(segment.resolve("blobs_sigmoid.onnx"), isnet.resolve("model.onnx"));
        Files.writeString(isnet.resolve("segmentation.json"), Files.readString(segment.resolve("blobs_sigmoid.json"))
                .replace("blobs_sigmoid.onnx", "model.onnx"));
        Path elsewhere = Files.createDirectories(tmp.resolve("somewhere else"));
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.toString());
        env.put("IJ_GENAI_MODELS", models.toString());
        env.put("DISPLAY", null);
        env.put("WAYLAND_DISPLAY", null);
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        int run = 0;
        List<String> failures = new ArrayList<>();
        for (Path page : pages) {
            List<String> macros = MarkdownMacros.of(page);
            for (int i = 0; i < macros.size(); i++) {
                Path file = tmp.resolve(page.getFileName() + "-" + (i + 1) + ".ijm");
                Files.writeString(file, macros.get(i), StandardCharsets.UTF_8);
                Processes.Result result = Processes.run(List.of(Dist.launcher().toString(), "macro",
                        file.toString()), elsewhere, env, 300);
                run++;
                if (result.exitCode() != 0 || result.output().contains("Macro Error")) {
                    failures.add(page + " macro " + (i + 1) + ":\n" + macros.get(i) + "→ " + result.describe());
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n\n", failures));
        // forward-diffusion, inpainting (4), inside-the-model (2), models, segmentation, stable-diffusion.
        assertTrue(run >= 10, "only " + run + " macro examples found; did a ```ijm fence change?");
    }

    @Test
    void aFileAMacroCannotOpenIsReportedWithTheWorkingDirectoryNotAsCancelled() throws Exception {
        Path elsewhere = Files.createDirectories(tmp.resolve("cwd"));
        Path macro = tmp.resolve("relative.ijm");
        Files.writeString(macro, "open(\"samples/chelsea.png\");\nrun(\"Forward Diffusion...\", \"frames=3\");\n");
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.toString());
        env.put("DISPLAY", null);
        Processes.Result result = Processes.run(List.of(Dist.launcher().toString(), "macro", macro.toString()),
                elsewhere, env, 120);
        assertEquals(1, result.exitCode(), result.describe());
        assertFalse(result.output().contains("cancelled"), result.describe());
        assertTrue(result.output().contains("relative.ijm stopped at line 1: a command ended it"), result.describe());
        assertTrue(result.output().contains(elsewhere.toString()), "names the working directory: "
                + result.describe());
    }
}
