package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.ijgenai.core.style.StyleTestData;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The packaged launcher {@code bin/ij-genai style}, as a user runs it, against the torch references. */
class StyleCliIT {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{1} --tile {3}")
    @CsvSource({
        "tiny-animegan.onnx, animegan, animegan, 0",
        "tiny-cyclegan.onnx, cyclegan, cyclegan, 0",
        "tiny-fns.onnx, fast-neural-style, fns, 0",
        "tiny-animegan.onnx, animegan, animegan, 48",
        "tiny-cyclegan.onnx, cyclegan, cyclegan, 48",
        "tiny-fns.onnx, fast-neural-style, fns, 48",
    })
    void launcherMatchesTorchReference(String model, String format, String ref, int tile)
            throws IOException, InterruptedException {
        String dist = System.getProperty("ijgenai.dist");
        assumeTrue(dist != null && Files.isExecutable(Paths.get(dist, "bin", "ij-genai")),
                "packaged launcher not found; run mvn verify");
        Path out = dir.resolve("styled.png");
        List<String> command = new ArrayList<>(List.of(Paths.get(dist, "bin", "ij-genai").toString(), "style",
                "--model", StyleTestData.resource(model).toString(), "--format", format,
                "--image", StyleTestData.resource("input-101x77.png").toString(), "--tile", String.valueOf(tile),
                "--out", out.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        BufferedImage image = ImageIO.read(out.toFile());
        float[] reference = StyleTestData.reference("ref-" + ref + "-101x77.f32");
        double worst = 0;
        for (int y = 0; y < 77; y++) {
            for (int x = 0; x < 101; x++) {
                int rgb = image.getRGB(x, y);
                int i = 3 * (y * 101 + x);
                worst = Math.max(worst, Math.abs(((rgb >> 16) & 0xff) - reference[i]));
                worst = Math.max(worst, Math.abs(((rgb >> 8) & 0xff) - reference[i + 1]));
                worst = Math.max(worst, Math.abs((rgb & 0xff) - reference[i + 2]));
            }
        }
        assertTrue(worst <= 1.0, "max error " + worst + "/255");
    }
}
