package org.ijgenai.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.style.StyleTestData;
import org.ijgenai.testing.Dist;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Style Transfer (GAN)…'s live preview in a real ImageJ under Xvfb: the preview restyles the current image in
 * place, Cancel restores it, OK restores it too and opens the result, equal to the preview, in a new window.
 */
class StylePreviewIT {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"ok", "cancel"})
    void previewShowsTheResultAndNeverKeepsIt(String button) throws Exception {
        Processes.requireTool("xvfb-run", "xvfb and xauth");
        Path home = Files.createDirectories(tmp.resolve("home"));
        List<String> driver = List.of(Processes.java(), "-Duser.home=" + home, "-Dplugins.dir=" + Dist.dir(),
                "-Dai.djl.offline=true", "-cp",
                Paths.get("target/test-classes").toAbsolutePath() + ":" + Dist.dir().resolve("lib/ij.jar"),
                "org.ijgenai.testing.StylePreviewDriver",
                StyleTestData.resource("input-61x47.png").toString(),
                StyleTestData.resource("tiny-animegan.onnx").toString(), "animegan", button);
        Processes.Result result = Processes.run(Processes.underXvfb(driver), tmp, Map.of(), 180);
        assertEquals(0, result.exitCode(), result.describe());
        String out = result.output();
        assertTrue(out.contains("browse=true"), "the model field has a Browse button: " + out);
        assertTrue(out.contains("preview.changed=true"), out);
        assertTrue(out.contains("input.restored=true"), out);
        assertTrue(out.contains("input.changes=false"), out);
        if (button.equals("ok")) {
            assertTrue(out.contains("images=2"), out);
            assertTrue(out.contains("current.title=input-61x47-styled"), out);
            String preview = value(out, "preview.pixel");
            assertEquals(preview, value(out, "current.pixel"), "the result equals the preview: " + out);
        } else {
            assertTrue(out.contains("images=1"), out);
        }
    }

    private static String value(String output, String key) {
        for (String line : output.split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        return null;
    }
}
