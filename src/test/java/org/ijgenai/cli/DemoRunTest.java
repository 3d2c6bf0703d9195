package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import org.ijgenai.core.GenAiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoRunTest {

    @TempDir
    Path tmp;

    /** The demo also looks in the user's models folder: an empty one here, whatever the developer installed. */
    @BeforeEach
    void emptyUserFolder() {
        System.setProperty("ijgenai.models", tmp.resolve("user").toString());
    }

    @AfterEach
    void clearUserFolder() {
        System.clearProperty("ijgenai.models");
    }

    private DemoRun demo(Path models) {
        return new DemoRun(tmp.resolve("out"), tmp, models, tmp.resolve("samples"), tmp.resolve("x.png"));
    }

    private static ImagePlus squares(int n, int side) {
        ImageStack stack = new ImageStack(side, side);
        for (int i = 0; i < n; i++) {
            ColorProcessor cp = new ColorProcessor(side, side);
            cp.setColor(i % 2 == 0 ? 0xff0000 : 0x0000ff);
            cp.fill();
            cp.set(0, 0, 0x00ff00);
            stack.addSlice(i == 0 ? "#1 0.83" : "", cp);
        }
        return new ImagePlus("tiles", stack);
    }

    @Test
    void montageTilesRowMajorWithGapsAndSharpEnlargement() {
        ColorProcessor m = (ColorProcessor) DemoRun.montage(squares(5, 8), 3, 4).getProcessor();
        // 3 columns × 2 rows of 32-pixel tiles with 2-pixel gaps.
        assertEquals(3 * 32 + 2 * 2, m.getWidth());
        assertEquals(2 * 32 + 2, m.getHeight());
        assertEquals(0x00ff00, m.get(3, 3) & 0xffffff, "nearest-neighbour: the corner pixel becomes a 4×4 block");
        assertEquals(0xff0000, m.get(4, 4) & 0xffffff);
        assertEquals(0xffffff, m.get(32, 10) & 0xffffff, "white gap");
        assertEquals(0x0000ff, m.get(34 + 10, 10) & 0xffffff, "second tile to the right");
        assertEquals(0x0000ff, m.get(10, 34 + 20) & 0xffffff, "fourth tile below the first");
        assertEquals(0xffffff, m.get(34 * 2 + 10, 34 + 20) & 0xffffff, "sixth place empty");
    }

    @Test
    void montageDrawsLabelsOnADarkBox() {
        ColorProcessor m = (ColorProcessor) DemoRun.montage(squares(2, 64), 2, 3).getProcessor();
        boolean black = false;
        boolean white = false;
        for (int y = 150; y < 192; y++) {
            for (int x = 0; x < 60; x++) {
                int p = m.get(x, y) & 0xffffff;
                black |= p == 0;
                white |= p == 0xffffff;
            }
        }
        assertTrue(black && white, "white text on black at the bottom left of the labelled tile");
        for (int y = 150; y < 192; y++) {
            assertEquals(0x0000ff, m.get(194 + 10, y) & 0xffffff, "the unlabelled tile stays untouched");
        }
    }

    @Test
    void commandLinesShowInstallationPathsRelativeAndQuoteWords() {
        DemoRun demo = demo(tmp.resolve("models"));
        String line = demo.commandLine(List.of("txt2img", "--model", tmp.resolve("models/shapes-sd").toString(),
                "--prompt", "a red circle", "--out", "/elsewhere/it's.png", "--cfg", "7.5"));
        assertEquals("bin/ij-genai txt2img --model models/shapes-sd --prompt 'a red circle' --out"
                + " '/elsewhere/it'\\''s.png' --cfg 7.5", line);
    }

    @Test
    void segmentationIsSkippedWithTheSetupCommandWhenIsNetIsMissing() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        Files.createDirectories(models.resolve("isnet-small"));
        DemoItem item = demo(models).segmentation();
        assertFalse(item.ran());
        assertTrue(item.text().contains("bin/ij-genai segment setup"), item.text());
        assertTrue(item.text().contains("user/isnet-small"), "where setup installs it: " + item.text());
    }

    @Test
    void installedIsNetPrefersSmallAndNeedsTheOnnxFile() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        assertNull(demo(models).installedIsNet());
        Files.createDirectories(models.resolve("isnet-medium"));
        Files.writeString(models.resolve("isnet-medium/model.onnx"), "x");
        assertEquals(models.resolve("isnet-medium"), demo(models).installedIsNet());
        Files.createDirectories(models.resolve("isnet-small"));
        assertEquals(models.resolve("isnet-medium"), demo(models).installedIsNet(), "no model.onnx yet");
        Files.writeString(models.resolve("isnet-small/model.onnx"), "x");
        assertEquals(models.resolve("isnet-small"), demo(models).installedIsNet());
    }

    @Test
    void isNetSetUpInTheUserFolderIsFoundToo() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        Path user = Files.createDirectories(tmp.resolve("user/isnet-small"));
        Files.writeString(user.resolve("model.onnx"), "x");
        assertEquals(user, demo(models).installedIsNet());
    }

    @Test
    void attentionSectionOverlaysTheWordsAndMeasuresTheirShareInsideTheCircle() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("models/shapes-sd")),
                "models/shapes-sd is not in this checkout");
        DemoItem item = demo(Path.of("models")).attentionMaps();
        assertTrue(Files.isRegularFile(tmp.resolve("out/attention-overlay-montage.png")));
        assertTrue(Files.isRegularFile(tmp.resolve("out/attention/attention-steps.tif")));
        double red = Double.parseDouble(item.parameters().get("share of \"red\"'s map inside the red circle"));
        double blue = Double.parseDouble(item.parameters().get("share of \"blue\"'s map inside the red circle"));
        assertTrue(red > blue, item.parameters().toString());
        assertTrue(item.commands().get(0).contains("attention --model"), item.commands().get(0));
    }

    @Test
    void missingBundledModelIsNamed() {
        GenAiException e = assertThrows(GenAiException.class, () -> demo(tmp.resolve("nowhere")).checkModels());
        assertTrue(e.getMessage().contains("shapes-sd") && e.getMessage().contains("--models"), e.getMessage());
    }
}
