package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.ijgenai.testing.Dist;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generative Fill of composite and ROI Manager selections from macros: a ring (an oval with an oval hole, made
 * with the Alt key in the macro) with no display at all, and two separate ROIs from the ROI Manager, one alone and
 * both combined, in ImageJ's batch mode (the ROI Manager is an AWT window, so it needs a display: Xvfb). With grow,
 * feather and blend 0 every pixel outside the selection, the ring's hole included, keeps the original's value, and
 * every part of the selection is repainted.
 */
class GenerativeFillRoiIT {

    @TempDir
    Path tmp;

    private static final String BLUE = "setBatchMode(true); newImage(\"blue\", \"RGB black\", 64, 64, 1);"
            + " setForegroundColor(30, 60, 200); run(\"Select All\"); run(\"Fill\", \"slice\");";
    private static final String FILL = "run(\"Generative Fill...\", \"model=shapes-sd prompt=[a yellow star] steps=4"
            + " seed=3 grow=0 feather=0 blend=0 composite\");";

    /**
     * Macro lines that compare the filled image (current) with the original: {@code inside} is the macro condition
     * for the selection; every pixel outside it must be the original blue, and each part of the selection (the
     * second one where {@code second} holds, when given) must have at least {@code min} changed pixels.
     */
    private static String check(String inside, String second, int min) {
        int parts = second == null ? 1 : 2;
        return String.join("\n",
                "changed = newArray(" + parts + ");",
                "for (y = 0; y < 64; y++) for (x = 0; x < 64; x++) { v = getPixel(x, y) & 0xffffff;",
                "  if (!(" + inside + ")) { if (v != 0x1e3cc8) exit(\"changed outside the selection at \" + x + \",\" + y); }",
                "  else if (v != 0x1e3cc8) { p = 0; " + (second == null ? "" : "if (" + second + ") p = 1; ")
                        + "changed[p] = changed[p] + 1; } }",
                "for (i = 0; i < " + parts + "; i++) { if (changed[i] < " + min + ") exit(\"part \" + i + \" hardly filled: \" + changed[i]); print(\"part \" + i + \" filled \" + changed[i]); }");
    }

    private Processes.Result run(String macro, boolean display) throws Exception {
        Path file = tmp.resolve("m" + System.nanoTime() + ".ijm");
        Files.writeString(file, macro, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(Dist.launcher().toString(), display ? "-batch" : "macro",
                file.toString()));
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.toString());
        if (!display) {
            env.put("DISPLAY", null);
            env.put("WAYLAND_DISPLAY", null);
        }
        return Processes.run(display ? Processes.underXvfb(command) : command, tmp, env, 300);
    }

    @Test
    void aRingWithAHoleIsFilledAndItsHoleKeptWithNoDisplay() throws Exception {
        // The ring: the oval (8, 8, 48, 48) minus the oval (22, 22, 20, 20), pixel centres tested as ImageJ fills.
        String ring = "pow(x + 0.5 - 32, 2) + pow(y + 0.5 - 32, 2) <= 24 * 24 + 24"
                + " && pow(x + 0.5 - 32, 2) + pow(y + 0.5 - 32, 2) >= 10 * 10 - 10";
        String hole = "pow(x + 0.5 - 32, 2) + pow(y + 0.5 - 32, 2) < 9 * 9";
        Processes.Result result = run(String.join("\n", BLUE,
                "makeOval(8, 8, 48, 48); setKeyDown(\"alt\"); makeOval(22, 22, 20, 20); setKeyDown(\"none\");",
                "if (selectionType() != 9) exit(\"expected a composite selection, got type \" + selectionType());",
                FILL,
                "if (nImages != 2) exit(\"expected 2 images, got \" + nImages);",
                // Pixels straddling the ovals' outlines are not judged: the mask is ImageJ's own fill of the ROI.
                "for (y = 0; y < 64; y++) for (x = 0; x < 64; x++) { v = getPixel(x, y) & 0xffffff;",
                "  if (" + hole + " && v != 0x1e3cc8) exit(\"the hole changed at \" + x + \",\" + y); }",
                check("!(" + hole + ") && (" + ring + ")", null, 200),
                "print(\"ring done\");"), false);
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.output().contains("ring done"), result.describe());
    }

    @Test
    void roiManagerSelectionsAloneAndCombinedAreFilled() throws Exception {
        Processes.requireTool("xvfb-run", "xvfb and xauth");
        String first = "x >= 4 && x < 26 && y >= 4 && y < 26";
        String second = "x >= 36 && x < 60 && y >= 34 && y < 60";
        Processes.Result result = run(String.join("\n", BLUE,
                "makeRectangle(4, 4, 22, 22); roiManager(\"add\"); makeRectangle(36, 34, 24, 26); roiManager(\"add\");",
                "run(\"Select None\"); roiManager(\"select\", 1);",
                FILL,
                check(second, null, 150),
                "close(); selectImage(\"blue\"); run(\"Select None\");",
                "roiManager(\"select\", newArray(0, 1)); roiManager(\"combine\");",
                "if (selectionType() != 9) exit(\"expected a composite selection, got type \" + selectionType());",
                FILL,
                check("(" + first + ") || (" + second + ")", second, 150),
                "print(\"manager done\");",
                "run(\"Quit\");"), true);
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.output().contains("manager done"), result.describe());
    }
}
