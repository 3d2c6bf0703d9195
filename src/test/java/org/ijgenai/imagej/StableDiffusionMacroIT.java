package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.ijgenai.core.io.NpzArchive;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ImageJ commands run from a macro with no display, through the packaged launcher ({@code bin/ij-genai macro}),
 * reproduce the shared fixture's txt2img reference and make the step stack.
 */
class StableDiffusionMacroIT {

    @TempDir
    Path temp;

    @Test
    void headlessMacroReproducesTheFixtureAndMakesStepStacks() throws Exception {
        Path model = Fixtures.file("tiny-sd-onnx");
        Path dist = Path.of(System.getProperty("ijgenai.dist", "target/ij-genai"));
        Path result = temp.resolve("result.png");
        Path steps = temp.resolve("steps.tif");
        String macro = String.join("\n",
                "run(\"Text to Image (Stable Diffusion)...\", \"model=[" + model + "] prompt=[a red circle on a blue"
                        + " background] negative=blurry guidance=7.5 steps=10 scheduler=pndm width=64 height=64"
                        + " images=1 seed=42 step=decoded\");",
                "if (nImages != 3) exit(\"expected 3 images, got \" + nImages);",
                "selectImage(1); saveAs(\"Tiff\", \"" + steps + "\");",
                "selectImage(3); saveAs(\"PNG\", \"" + result + "\");",
                "print(\"done\");");
        Path file = temp.resolve("sd.ijm");
        Files.writeString(file, macro, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(List.of(dist.resolve("bin/ij-genai").toString(), "macro",
                file.toString())).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), output);

        float[] expected;
        try (NpzArchive npz = NpzArchive.open(Fixtures.file("refs/sd_refs.npz"))) {
            expected = npz.get("txt2img_pndm_cfg7.5").floats();
        }
        BufferedImage image = ImageIO.read(result.toFile());
        int worst = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int p = image.getRGB(x, y);
                int[] got = {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF};
                for (int c = 0; c < 3; c++) {
                    int want = (int) Math.rint(expected[(y * 64 + x) * 3 + c] * 255f);
                    worst = Math.max(worst, Math.abs(got[c] - want));
                }
            }
        }
        assertTrue(worst <= 2, "worst difference " + worst);
        ij.ImagePlus stack = ij.IJ.openImage(steps.toString());
        assertEquals(11, stack.getStackSize());
        assertEquals("step 11/11 · t=1", stack.getStack().getSliceLabel(11));
    }
}
