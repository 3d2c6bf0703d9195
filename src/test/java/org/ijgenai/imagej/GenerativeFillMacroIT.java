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
 * Generative Fill and Generative Expand from macros with no display, through the packaged launcher
 * ({@code bin/ij-genai macro}): a freehand selection made in the macro, the original untouched, pixels outside the
 * grown selection bit-identical, in place, the diffusers reference through the command, and the errors.
 */
class GenerativeFillMacroIT {

    @TempDir
    Path temp;

    private String run(String macro, int expectedExit) throws Exception {
        Path dist = Path.of(System.getProperty("ijgenai.dist", "target/ij-genai"));
        Path file = temp.resolve("m" + System.nanoTime() + ".ijm");
        Files.writeString(file, macro, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(List.of(dist.resolve("bin/ij-genai").toString(), "macro",
                file.toString())).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES));
        assertEquals(expectedExit, process.exitValue(), output);
        return output;
    }

    private static final String BLUE = "newImage(\"blue\", \"RGB black\", 64, 64, 1); setForegroundColor(30, 60, 200);"
            + " run(\"Select All\"); run(\"Fill\", \"slice\");";
    private static final String FREEHAND = "makeSelection(\"freehand\", newArray(20, 44, 48, 30, 16),"
            + " newArray(14, 18, 44, 50, 34));";

    @Test
    void fillWithAFreehandSelectionKeepsTheOriginalAndTheOutside() throws Exception {
        String output = run(String.join("\n", BLUE, FREEHAND,
                "run(\"Generative Fill...\", \"model=shapes-sd prompt=[a yellow star] steps=8 seed=3 grow=2"
                        + " feather=4 blend=4 composite\");",
                "if (nImages != 2) exit(\"expected 2 images, got \" + nImages);",
                "filled = getTitle(); selectImage(\"blue\");",
                "if (getPixel(30, 30) != getPixel(2, 2)) exit(\"the original changed\");",
                "selectImage(filled); changed = 0;",
                // Outside the selection grown by 2 px every pixel is the original's (30, 60, 200).
                "for (y = 0; y < 64; y++) for (x = 0; x < 64; x++) { v = getPixel(x, y) & 0xffffff;",
                "  if (x < 12 || x > 52 || y < 10 || y > 54) { if (v != 0x1e3cc8) exit(\"changed at \" + x + \",\" + y); }",
                "  else if (v != 0x1e3cc8) changed++; }",
                "if (changed < 50) exit(\"hardly anything was filled: \" + changed);",
                "print(\"filled \" + changed);"), 0);
        assertTrue(output.contains("filled "), output);
    }

    @Test
    void inPlaceChangesTheImageAndExpandAddsTheBorder() throws Exception {
        run(String.join("\n", BLUE, FREEHAND,
                "run(\"Generative Fill...\", \"model=shapes-sd prompt=[a yellow star] steps=4 seed=3 composite in\");",
                "if (nImages != 1) exit(\"in place opened a window\");",
                "if ((getPixel(32, 32) & 0xffffff) == 0x1e3cc8 && (getPixel(30, 40) & 0xffffff) == 0x1e3cc8)"
                        + " exit(\"nothing changed in place\");",
                "if ((getPixel(1, 1) & 0xffffff) != 0x1e3cc8) exit(\"outside changed\");",
                "run(\"Select None\");",
                "run(\"Generative Expand...\", \"left=0 right=32 top=0 bottom=16 model=shapes-sd prompt=circle"
                        + " steps=4 seed=3 composite\");",
                "if (getWidth() != 96 || getHeight() != 80) exit(\"expanded to \" + getWidth() + \"x\" + getHeight());",
                "selectImage(\"blue\");",
                "run(\"Generative Expand...\", \"canvas=100x70 model=shapes-sd prompt=circle steps=4 seed=3 composite\");",
                "if (getWidth() != 100 || getHeight() != 70) exit(\"canvas \" + getWidth() + \"x\" + getHeight());"),
                0);
    }

    @Test
    void noSelectionAndASelectionOutsideTheImageAreClearErrors() throws Exception {
        String none = run(String.join("\n", BLUE, "run(\"Select None\");",
                "run(\"Generative Fill...\", \"model=shapes-sd prompt=star steps=4 seed=3 composite\");"), 1);
        assertTrue(none.contains("select the region to fill first"), none);
        String outside = run(String.join("\n", BLUE, "makeRectangle(80, 80, 10, 10);",
                "run(\"Generative Fill...\", \"model=shapes-sd prompt=star steps=4 seed=3 composite\");"), 1);
        assertTrue(outside.contains("outside") || outside.contains("select the region"), outside);
    }

    @Test
    void macroWithTheRawSettingsReproducesDiffusers() throws Exception {
        Path refs = Fixtures.file("refs");
        Path model = Fixtures.file("tiny-sd-inpaint-onnx");
        Path result = temp.resolve("r.png");
        run(String.join("\n",
                "open(\"" + refs.resolve("inpaint_images/mask_rect_64x64.png") + "\"); setThreshold(128, 255);"
                        + " run(\"Create Selection\"); mask = getTitle();",
                "open(\"" + refs.resolve("inpaint_images/init_64x64.png") + "\"); run(\"Restore Selection\");",
                "run(\"Generative Fill...\", \"model=[" + model + "] prompt=[a red circle on a blue background]"
                        + " negative=blurry scheduler=pndm steps=10 guidance=7.5 seed=42 variations=1 grow=0 feather=0"
                        + " blend=0 context=whole width=64 height=64\");",
                "saveAs(\"PNG\", \"" + result + "\");"), 0);
        float[] expected;
        try (NpzArchive npz = NpzArchive.open(refs.resolve("inpaint_refs.npz"))) {
            expected = npz.get("inpaint_pndm_cfg7.5_rect_64x64").floats();
        }
        BufferedImage image = ImageIO.read(result.toFile());
        int worst = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int p = image.getRGB(x, y);
                int[] got = {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF};
                for (int c = 0; c < 3; c++) {
                    worst = Math.max(worst, Math.abs(got[c] - (int) Math.rint(expected[(y * 64 + x) * 3 + c] * 255f)));
                }
            }
        }
        assertTrue(worst <= 2, "worst difference " + worst);
    }
}
