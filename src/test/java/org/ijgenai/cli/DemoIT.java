package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ij.IJ;
import ij.ImagePlus;
import ij.process.ColorProcessor;
import org.ijgenai.testing.Dist;
import org.ijgenai.testing.Processes;
import org.ijgenai.testing.ShapeReading;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/ij-genai demo} from the packaged launcher, with no display: every item is written, is a readable
 * image or stack of the expected size and slice count, shows what its parameters say, and {@code index.html}
 * references it. IS-Net is stood in for by the segmentation tests' tiny blob model installed as
 * {@code isnet-small} in a models folder beside the bundled ones.
 */
class DemoIT {

    @TempDir
    static Path tmp;
    static Path out;
    static Processes.Result run;
    static String page;

    @BeforeAll
    static void runDemo() throws Exception {
        Path models = tmp.resolve("models");
        Files.createDirectories(models);
        for (String bundled : List.of("shapes-sd", "shapes-clip", "ink-gan", "shapes-gan")) {
            Files.createSymbolicLink(models.resolve(bundled), Dist.bundledModels().resolve(bundled));
        }
        Path isnet = Files.createDirectories(models.resolve("isnet-small"));
        Path segment = Path.of("src/test/resources/org/ijgenai/core/segment");
        Files.copy(segment.resolve("blobs_sigmoid.onnx"), isnet.resolve("model.onnx"));
        Files.writeString(isnet.resolve("segmentation.json"), Files.readString(segment.resolve("blobs_sigmoid.json"))
                .replace("blobs_sigmoid.onnx", "model.onnx"));
        out = tmp.resolve("demo out");
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.toString());
        env.put("DISPLAY", null);
        env.put("WAYLAND_DISPLAY", null);
        run = Processes.run(List.of(Dist.launcher().toString(), "demo", "--out", out.toString(), "--models",
                models.toString()), tmp, env, 300);
        assertEquals(0, run.exitCode(), run.describe());
        page = Files.readString(out.resolve("index.html"), StandardCharsets.UTF_8);
    }

    private static ImagePlus open(String name) {
        Path file = out.resolve(name);
        assertTrue(Files.isRegularFile(file), "missing " + file + "\n" + run.output());
        ImagePlus imp = IJ.openImage(file.toString());
        assertNotNull(imp, "not an image: " + file);
        assertTrue(page.contains("href=\"" + name + "\""), "index.html does not link " + name);
        return imp;
    }

    private static void assertSize(ImagePlus imp, int width, int height, int slices) {
        assertEquals(width, imp.getWidth(), imp.getTitle() + " width");
        assertEquals(height, imp.getHeight(), imp.getTitle() + " height");
        assertEquals(slices, imp.getStackSize(), imp.getTitle() + " slices");
    }

    /** The size of a montage of {@code n} tiles, {@code columns} wide, with 2-pixel gaps. */
    private static void assertMontage(ImagePlus imp, int n, int columns, int tileW, int tileH) {
        int rows = (n + columns - 1) / columns;
        assertSize(imp, columns * tileW + (columns - 1) * 2, rows * tileH + (rows - 1) * 2, 1);
        assertTrue(page.contains("src=\"" + imp.getTitle() + "\""), "index.html does not show " + imp.getTitle());
    }

    /** Fractions of pixels that are clearly red and clearly blue. */
    private static double[] redAndBlue(ImagePlus imp) {
        int[] pixels = (int[]) imp.getProcessor().convertToRGB().getPixels();
        int red = 0;
        int blue = 0;
        for (int p : pixels) {
            int r = (p >> 16) & 255;
            int g = (p >> 8) & 255;
            int b = p & 255;
            red += r > 150 && g < 110 && b < 110 ? 1 : 0;
            blue += b > 150 && r < 110 && g < 150 ? 1 : 0;
        }
        return new double[] {red / (double) pixels.length, blue / (double) pixels.length};
    }

    @Test
    void forwardDiffusionStackMontageAndSchedulePlot() {
        ImagePlus samples = IJ.openImage(Dist.samples().resolve(DemoCommand.SAMPLE).toString());
        ImagePlus stack = open("forward-diffusion.tif");
        assertSize(stack, samples.getWidth(), samples.getHeight(), 8);
        assertTrue(stack.getStack().getSliceLabel(1).startsWith("t=0 alpha_bar=0.999900"));
        assertMontage(open("forward-diffusion-montage.png"), 8, 4, 256, 256);
        assertTrue(open("noise-schedules.png").getWidth() > 900, "three plot panels side by side");
    }

    @Test
    void txt2imgResultStepStacksAndMontages() throws Exception {
        ImagePlus result = open("txt2img.png");
        assertSize(result, 64, 64, 1);
        Map<String, String> text = ImageFiles.readPngText(out.resolve("txt2img.png"));
        assertEquals(DemoRun.PROMPT, text.get("prompt"));
        assertEquals("0", text.get("seed"));
        assertEquals("20", text.get("steps"));
        // The model's own scheduler (its scheduler_config.json), resolved and recorded.
        assertTrue(text.get("scheduler").matches("[a-z_0-9]+"), text.get("scheduler"));
        assertTrue(page.contains("<th>scheduler</th><td>" + text.get("scheduler") + "</td>"));
        double[] colours = redAndBlue(result);
        assertTrue(colours[0] > 0.1 && colours[1] > 0.3, "a red object on blue: red " + colours[0] + ", blue "
                + colours[1]);
        for (String name : List.of("txt2img-steps.tif", "txt2img-steps-x0.tif")) {
            ImagePlus steps = open(name);
            // One UNet evaluation per step (DDIM, Euler; PNDM would add one).
            assertSize(steps, 64, 64, 20);
            assertEquals(24, steps.getBitDepth());
            assertTrue(steps.getStack().getSliceLabel(1).startsWith("step 1/20"), steps.getStack().getSliceLabel(1));
            String last = steps.getStack().getSliceLabel(20);
            assertTrue(last.startsWith("step 20/20 · t=") && Double.parseDouble(last.substring(last.indexOf("t=") + 2)
                    .split(" ")[0]) < 60, "the last step is near t = 0: " + last);
        }
        // 40 tiles' worth of columns for a roughly 2:1 page: 7 columns, 3 rows of 192-pixel tiles.
        assertMontage(open("txt2img-steps-montage.png"), 20, 7, 192, 192);
        assertMontage(open("txt2img-steps-x0-montage.png"), 20, 7, 192, 192);
        for (String value : List.of(DemoRun.PROMPT, "7.5", "models/shapes-sd")) {
            assertTrue(page.contains(value), "index.html lacks " + value);
        }
    }

    @Test
    void img2imgResultComparisonAndSteps() throws Exception {
        ImagePlus result = open("img2img.png");
        assertSize(result, 64, 64, 1);
        Map<String, String> text = ImageFiles.readPngText(out.resolve("img2img.png"));
        assertEquals(DemoRun.IMG2IMG_PROMPT, text.get("prompt"));
        assertEquals(DemoRun.STRENGTH, text.get("strength"));
        // strength 0.75 of 20 steps.
        assertSize(open("img2img-steps.tif"), 64, 64, 15);
        assertSize(open("img2img-steps-x0.tif"), 64, 64, 15);
        assertMontage(open("img2img-comparison.png"), 2, 2, 256, 256);
        // 15 tiles: ceil(sqrt(30)) = 6 columns.
        assertMontage(open("img2img-steps-montage.png"), 15, 6, 192, 192);
        assertMontage(open("img2img-steps-x0-montage.png"), 15, 6, 192, 192);
        assertTrue(page.contains(DemoRun.IMG2IMG_PROMPT));
        // It draws what its prompt says: the red circle became one yellow star (five points) on the blue.
        assertEquals(new ShapeReading.Reading("red", "blue", 1, 0),
                ShapeReading.read(open("txt2img.png").getProcessor().convertToRGB()), "the init picture");
        assertEquals(new ShapeReading.Reading("yellow", "blue", 1, 5),
                ShapeReading.read(result.getProcessor().convertToRGB()), DemoRun.IMG2IMG_PROMPT);
    }

    @Test
    void generativeFillKeepsTheOutsideAndExpandAddsThirtyTwoPixels() throws Exception {
        ImagePlus picture = open("txt2img.png");
        ImagePlus mask = open("fill-mask.png");
        ImagePlus filled = open("fill.png");
        assertSize(filled, 64, 64, 1);
        assertEquals(DemoRun.FILL_PROMPT, ImageFiles.readPngText(out.resolve("fill.png")).get("prompt"));
        // Outside the mask grown by its 4 px, every pixel is the picture's.
        boolean[] grown = new boolean[64 * 64];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                for (int dy = -4; dy <= 4; dy++) {
                    for (int dx = -4; dx <= 4; dx++) {
                        int xx = x + dx;
                        int yy = y + dy;
                        if (xx >= 0 && yy >= 0 && xx < 64 && yy < 64 && mask.getProcessor().get(xx, yy) > 0) {
                            grown[y * 64 + x] = true;
                        }
                    }
                }
            }
        }
        int changedInside = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                boolean same = picture.getProcessor().get(x, y) == filled.getProcessor().get(x, y);
                if (!grown[y * 64 + x]) {
                    assertTrue(same, "pixel " + x + "," + y + " outside the selection changed");
                } else if (!same) {
                    changedInside++;
                }
            }
        }
        assertTrue(changedInside > 200, "the selection was hardly repainted: " + changedInside);
        assertSize(open("expand.png"), 64 + DemoRun.EXPAND_PIXELS, 64, 1);
        assertTrue(page.contains("<section id=\"fill\">") && page.contains("<section id=\"expand\">"));
        assertTrue(page.contains("bin/ij-genai inpaint --model") && page.contains("bin/ij-genai expand --model"));
    }

    @Test
    void clipSearchRanksTheGeneratedRedCirclesFirst() throws Exception {
        try (Stream<Path> gallery = Files.list(out.resolve("clip-gallery"))) {
            assertEquals(DemoRun.GALLERY_PROMPTS.size(), gallery.filter(p -> p.toString().endsWith(".png")).count());
        }
        assertTrue(Files.isDirectory(out.resolve("clip-index")));
        List<String> hits = new ArrayList<>(Files.readAllLines(out.resolve("clip-search.tsv")));
        assertTrue(page.contains("href=\"clip-search.tsv\""));
        hits.remove(0);
        assertEquals(DemoRun.TOP, hits.size(), String.join("\n", hits));
        int redCircles = 0;
        for (String hit : hits.subList(0, 3)) {
            String prompt = hit.split("\t")[3];
            redCircles += prompt.contains("red circle") ? 1 : 0;
            assertTrue(Files.isRegularFile(out.resolve(hit.split("\t")[2])), hit);
        }
        assertTrue(hits.get(0).split("\t")[3].contains("red circle"), "top hit: " + hits.get(0));
        assertTrue(redCircles >= 2, "red circles in the top 3:\n" + String.join("\n", hits));
        assertMontage(open("clip-search-montage.png"), DemoRun.TOP, DemoRun.TOP, 192, 192);
        assertMontage(open("clip-gallery-montage.png"), DemoRun.GALLERY_PROMPTS.size(), 6, 128, 128);
        assertTrue(page.contains("models/shapes-clip") || page.contains("/models/shapes-clip"));
    }

    @Test
    void inkGanBeforeAndAfter() {
        ImagePlus photo = IJ.openImage(Dist.samples().resolve(DemoRun.INK_SAMPLE).toString());
        ImagePlus ink = open("ink-gan.png");
        assertSize(ink, photo.getWidth(), photo.getHeight(), 1);
        // An ink drawing: mostly near-white paper with dark lines, whatever the photo's colours.
        ColorProcessor cp = (ColorProcessor) ink.getProcessor().convertToRGB();
        int[] histogram = cp.getHistogram();
        int light = 0;
        int dark = 0;
        for (int i = 0; i < 256; i++) {
            light += i >= 200 ? histogram[i] : 0;
            dark += i < 80 ? histogram[i] : 0;
        }
        int n = cp.getPixelCount();
        assertTrue(light > 0.3 * n && dark > 0.05 * n, "light " + light + ", dark " + dark + " of " + n);
        assertMontage(open("ink-gan-comparison.png"), 2, 2, photo.getWidth(), photo.getHeight());
    }

    @Test
    void ganWalkStacksAndLabelledMontages() {
        ImagePlus walk = open("gan/gan-walk.tif");
        // Seeds 1, 2, 3 with 9 frames per segment sharing their ends: 2 · 8 + 1 pictures of 32×32.
        assertSize(walk, 32, 32, 17);
        assertEquals("9: seed 2", walk.getStack().getSliceLabel(9));
        ImagePlus sweep = open("gan/gan-sweep.tif");
        assertSize(sweep, 32, 32, 8 * 7);
        // Montages: an 84-pixel row header, 96-pixel tiles (32 px × 3) with 2-pixel gaps, the sweep's offsets on top.
        assertSize(open("gan-walk.png"), 84 + 9 * 98 - 2, 2 * 98 - 2, 1);
        assertSize(open("gan-walk-linear.png"), 84 + 9 * 98 - 2, 96, 1);
        assertSize(open("gan-sweep.png"), 84 + 7 * 98 - 2, 20 + 8 * 98 - 2, 1);
        assertTrue(page.contains("bin/ij-genai gan-walk --model"), "the reproducing command lines");
    }

    @Test
    void segmentationWithTheInstalledModel() {
        ImagePlus photo = IJ.openImage(Dist.samples().resolve(DemoRun.SEGMENT_SAMPLE).toString());
        ImagePlus mask = open("segmentation-mask.png");
        assertSize(mask, photo.getWidth(), photo.getHeight(), 1);
        assertEquals(8, mask.getBitDepth());
        assertSize(open("segmentation-cutout.png"), photo.getWidth(), photo.getHeight(), 1);
        assertTrue(Files.isRegularFile(out.resolve("segmentation-comparison.png")));
        assertTrue(page.contains("isnet-small"));
    }

    @Test
    void pageListsTimingsAndCommandsAndTheMacroOpensEveryResult() throws Exception {
        assertTrue(run.output().contains("done in"), run.output());
        for (String section : List.of("forward", "txt2img", "img2img", "clip", "ink", "gan", "segment")) {
            assertTrue(page.contains("<section id=\"" + section + "\">"), "no section " + section);
        }
        assertTrue(page.contains("<th>time</th>"));
        assertTrue(page.contains("bin/ij-genai txt2img --model"), "reproducing command lines");
        assertTrue(!page.contains("http://") && !page.contains("https://"), "self-contained page");
        assertFalse(page.contains("`"), "Markdown backticks leaked into the page");
        Path macro = out.resolve(DemoViewer.MACRO);
        String opens = Files.readString(macro);
        assertTrue(opens.contains("txt2img-steps.tif") && opens.contains("ink-gan-comparison.png"), opens);
        Files.writeString(tmp.resolve("check.ijm"), opens + "if (nImages != " + opens.split("open\\(").length
                + " - 1) exit(\"wrong count: \" + nImages);\nprint(\"opened \" + nImages);\n");
        Processes.Result check = Processes.run(List.of(Dist.launcher().toString(), "macro",
                tmp.resolve("check.ijm").toString()), tmp, Map.of("HOME", tmp.toString()), 120);
        assertEquals(0, check.exitCode(), check.describe());
        assertTrue(check.output().contains("opened "), check.describe());
    }
}
