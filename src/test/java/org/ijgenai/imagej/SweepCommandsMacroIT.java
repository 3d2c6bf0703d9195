package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.text.Emphasis;
import org.ijgenai.testing.Dist;
import org.ijgenai.testing.MarkdownMacros;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;

/**
 * Parameter Grid, Latent Walk, Generate Again and the Emphasis choice, run from macros with no display through
 * {@code bin/ij-genai macro} on the bundled shapes-sd: every grid cell and walk endpoint equals the single command
 * with its values (Text to Image, Image to Image, Generative Fill), Generate Again makes the same picture from an
 * image, a TIFF and an A1111 PNG, and bad values stop the macro with the reason.
 */
class SweepCommandsMacroIT {

    private static final String PROMPT = "a red circle on a blue background";
    private static final String T2I = "run(\"Text to Image (Stable Diffusion)...\", \"model=shapes-sd prompt=["
            + PROMPT + "] steps=3 scheduler=ddim ";

    @TempDir
    Path tmp;

    private Processes.Result macro(String text) throws Exception {
        Path file = tmp.resolve("m" + System.nanoTime() + ".ijm");
        Files.writeString(file, text + "\nprint(\"AFTER THE COMMAND\");\n", StandardCharsets.UTF_8);
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.toString());
        env.put("DISPLAY", null);
        return Processes.run(List.of(Dist.launcher().toString(), "macro", file.toString()), tmp, env, 300);
    }

    private Processes.Result assertRuns(String text) throws Exception {
        Processes.Result run = macro(text);
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.output().contains("AFTER THE COMMAND"), run.describe());
        return run;
    }

    private void assertRefused(String text, String message) throws Exception {
        Processes.Result run = macro(text);
        assertEquals(1, run.exitCode(), run.describe());
        assertTrue(run.output().contains(message), "expected '" + message + "' in: " + run.describe());
        assertFalse(run.output().contains("AFTER THE COMMAND"), "the macro must stop: " + run.describe());
        assertFalse(run.output().contains("\tat "), run.describe());
    }

    private String path(String name) {
        return tmp.resolve(name).toString().replace("\\", "/");
    }

    private static int[] pixels(ImagePlus imp, int slice) {
        return Arrays.stream((int[]) imp.getStack().getProcessor(slice).getPixels()).map(p -> p & 0xFFFFFF)
                .toArray();
    }

    private ImagePlus open(String name) {
        ImagePlus imp = IJ.openImage(path(name));
        assertTrue(imp != null, name + " was not written");
        return imp;
    }

    @Test
    void everyTextToImageGridCellIsTheSingleCommandAndTheOutputsAreLabelled() throws Exception {
        Processes.Result run = assertRuns(String.join("\n",
                "run(\"Parameter Grid...\", \"model=shapes-sd prompt=[" + PROMPT + "] steps=3 scheduler=ddim"
                        + " seed=5 x_axis=seed x_values=5,6 y_axis=guidance y_values=3,7.5 z_axis=prompt_sr"
                        + " z_values=red,yellow\");",
                "print(\"current: \" + getTitle() + \" \" + getWidth() + \"x\" + getHeight());",
                "saveAs(\"Tiff\", \"" + path("montage.tif") + "\");",
                "selectImage(\"" + PROMPT + " - grid\");",
                "saveAs(\"Tiff\", \"" + path("grid.tif") + "\");",
                "print(\"rows: \" + nResults + \", last: \" + getResultString(\"label\", 7));",
                "saveAs(\"Results\", \"" + path("cells.csv") + "\");",
                T2I + "seed=6 guidance=7.5\");",
                "saveAs(\"Tiff\", \"" + path("single-6-7.5-red.tif") + "\");",
                "run(\"Text to Image (Stable Diffusion)...\", \"model=shapes-sd prompt=[a yellow circle on a blue"
                        + " background] steps=3 scheduler=ddim seed=5 guidance=3\");",
                "saveAs(\"Tiff\", \"" + path("single-5-3-yellow.tif") + "\");"));
        assertTrue(run.output().contains("current: " + PROMPT + " - grid montage " + (2 * (140 + 2 * 64) + 8)
                + "x" + (48 + 2 * 64)), run.describe());
        assertTrue(run.output().contains("rows: 8, last: Seed: 6 · CFG scale: 7.5 · yellow"), run.describe());
        ImagePlus grid = open("grid.tif");
        assertEquals(2, grid.getNSlices(), "X (seed) along slices");
        assertEquals(2, grid.getNFrames(), "Y (guidance) along frames");
        assertEquals(2, grid.getNChannels(), "Z (prompt S/R) along channels");
        int red67 = grid.getStackIndex(1, 2, 2);
        assertEquals("Seed: 6 · CFG scale: 7.5 · red", grid.getStack().getSliceLabel(red67));
        assertArrayEquals(pixels(open("single-6-7.5-red.tif"), 1), pixels(grid, red67));
        int yellow53 = grid.getStackIndex(2, 1, 1);
        assertEquals("Seed: 5 · CFG scale: 3 · yellow", grid.getStack().getSliceLabel(yellow53));
        assertArrayEquals(pixels(open("single-5-3-yellow.tif"), 1), pixels(grid, yellow53));
        assertFalse(Arrays.equals(pixels(grid, red67), pixels(grid, yellow53)));
        String info = grid.getInfoProperty();
        assertTrue(info.contains("grid_x: seed=5,6") && info.contains("grid_z: prompt_sr=red,yellow"), info);
        List<String> table = Files.readAllLines(tmp.resolve("cells.csv"));
        assertEquals(9, table.size());
        for (String column : GridImages.COLUMNS) {
            assertTrue(Arrays.asList(table.get(0).split(",")).contains(column), column + " in " + table.get(0));
        }
    }

    @Test
    void imageToImageAndFillGridCellsAreTheSingleCommands() throws Exception {
        String image = "newImage(\"init\", \"RGB ramp\", 64, 64, 1);";
        assertRuns(String.join("\n", image,
                "run(\"Parameter Grid...\", \"model=shapes-sd prompt=star steps=4 scheduler=euler seed=2"
                        + " input=image x_axis=strength x_values=0.5,0.8\");",
                "selectImage(\"star - grid\"); saveAs(\"Tiff\", \"" + path("img2img-grid.tif") + "\");",
                "print(getResult(\"strength\", 1));",
                "selectImage(\"init\");",
                "run(\"Image to Image (Stable Diffusion)...\", \"model=shapes-sd prompt=star steps=4 scheduler=euler"
                        + " strength=0.8 seed=2\");",
                "saveAs(\"Tiff\", \"" + path("img2img-single.tif") + "\");",
                "selectImage(\"init\"); makeRectangle(16, 16, 24, 24);",
                "run(\"Parameter Grid...\", \"model=shapes-sd prompt=star steps=3 scheduler=euler seed=3"
                        + " input=selection strength=1 x_axis=seed x_values=3,4\");",
                "selectImage(\"star - grid\"); saveAs(\"Tiff\", \"" + path("fill-grid.tif") + "\");",
                "selectImage(\"init\"); makeRectangle(16, 16, 24, 24);",
                "run(\"Generative Fill...\", \"model=shapes-sd prompt=star steps=3 scheduler=euler seed=4 composite\");",
                "saveAs(\"Tiff\", \"" + path("fill-single.tif") + "\");"));
        ImagePlus img2img = open("img2img-grid.tif");
        assertEquals("Strength: 0.8", img2img.getStack().getSliceLabel(2));
        assertArrayEquals(pixels(open("img2img-single.tif"), 1), pixels(img2img, 2));
        assertFalse(Arrays.equals(pixels(img2img, 1), pixels(img2img, 2)));
        ImagePlus fill = open("fill-grid.tif");
        assertEquals(64, fill.getWidth(), "fill cells are composited over the whole image");
        assertArrayEquals(pixels(open("fill-single.tif"), 1), pixels(fill, 2));
    }

    @Test
    void theWalksEndpointsAreThePlainGenerationsAndTheAviIsWritten() throws Exception {
        assertRuns(String.join("\n",
                "run(\"Latent Walk...\", \"model=shapes-sd prompt=[" + PROMPT + "] steps=3 scheduler=ddim"
                        + " seeds=1,2 frames=2 avi=[" + path("walk.avi") + "] fps=4\");",
                "saveAs(\"Tiff\", \"" + path("walk.tif") + "\");",
                T2I + "seed=1\");", "saveAs(\"Tiff\", \"" + path("seed1.tif") + "\");",
                T2I + "seed=2\");", "saveAs(\"Tiff\", \"" + path("seed2.tif") + "\");"));
        ImagePlus walk = open("walk.tif");
        assertEquals(3, walk.getStackSize());
        assertEquals("1: seed 1", walk.getStack().getSliceLabel(1));
        assertEquals("2: seed 1→2 t=0.500", walk.getStack().getSliceLabel(2));
        assertEquals("3: seed 2", walk.getStack().getSliceLabel(3));
        assertArrayEquals(pixels(open("seed1.tif"), 1), pixels(walk, 1));
        assertArrayEquals(pixels(open("seed2.tif"), 1), pixels(walk, 3));
        assertFalse(Arrays.equals(pixels(walk, 1), pixels(walk, 2)));
        assertTrue(walk.getInfoProperty().contains("walk: slerp of the initial noise through seeds 1,2, 2 frames"
                + " per segment"), walk.getInfoProperty());
        ImagePlus avi = IJ.openImage(path("walk.avi"));
        assertEquals(3, avi.getStackSize());
        assertArrayEquals(pixels(walk, 2), pixels(avi, 2), "PNG-compressed AVI frames are lossless");
    }

    @Test
    void thePromptWalksEndpointsAreTextToImageOfEachPrompt() throws Exception {
        String yellow = "a yellow circle on a blue background";
        assertRuns(String.join("\n",
                "run(\"Latent Walk...\", \"model=shapes-sd prompt=[" + PROMPT + " | " + yellow + "] steps=3"
                        + " scheduler=ddim seeds=7 frames=2\");",
                "saveAs(\"Tiff\", \"" + path("prompt-walk.tif") + "\");",
                "run(\"Latent Walk...\", \"model=shapes-sd prompt=[" + PROMPT + "|" + yellow + "] steps=3"
                        + " scheduler=ddim seeds=1,2 frames=1\");",
                "saveAs(\"Tiff\", \"" + path("both-walk.tif") + "\");",
                T2I + "seed=7\");", "saveAs(\"Tiff\", \"" + path("red7.tif") + "\");",
                T2I.replace(PROMPT, yellow) + "seed=7\");", "saveAs(\"Tiff\", \"" + path("yellow7.tif") + "\");",
                T2I.replace(PROMPT, yellow) + "seed=2\");", "saveAs(\"Tiff\", \"" + path("yellow2.tif") + "\");",
                T2I + "seed=1\");", "saveAs(\"Tiff\", \"" + path("red1.tif") + "\");"));
        ImagePlus walk = open("prompt-walk.tif");
        assertEquals(3, walk.getStackSize());
        assertEquals("1: prompt 1", walk.getStack().getSliceLabel(1));
        assertEquals("2: prompt 1→2 t=0.500", walk.getStack().getSliceLabel(2));
        assertEquals("3: prompt 2", walk.getStack().getSliceLabel(3));
        assertArrayEquals(pixels(open("red7.tif"), 1), pixels(walk, 1));
        assertArrayEquals(pixels(open("yellow7.tif"), 1), pixels(walk, 3));
        assertFalse(Arrays.equals(pixels(walk, 1), pixels(walk, 2)));
        assertFalse(Arrays.equals(pixels(walk, 2), pixels(walk, 3)));
        String info = walk.getInfoProperty();
        assertTrue(info.contains("walk_prompt1: " + PROMPT) && info.contains("walk_prompt2: " + yellow)
                && info.contains("seed: 7") && info.contains("lerp of the text embeddings through 2 prompts"), info);
        ImagePlus both = open("both-walk.tif");
        assertEquals(2, both.getStackSize());
        assertEquals("1: seed 1 · prompt 1", both.getStack().getSliceLabel(1));
        assertEquals("2: seed 2 · prompt 2", both.getStack().getSliceLabel(2));
        assertArrayEquals(pixels(open("red1.tif"), 1), pixels(both, 1));
        assertArrayEquals(pixels(open("yellow2.tif"), 1), pixels(both, 2));
    }

    @Test
    void generateAgainMakesTheSamePictureFromAnImageATiffAndAnA1111Png() throws Exception {
        Path a1111 = tmp.resolve("a1111.png");
        writeA1111Png(a1111, "a red circle on a blue background\nNegative prompt: blurry\nSteps: 4, Sampler: Euler a,"
                + " CFG scale: 7, Seed: 99, Size: 64x64, Model hash: abc, Clip skip: 2, Version: v1.10.1");
        String weighted = "(a red circle:1.4) on a [blue] background";
        Processes.Result run = assertRuns(String.join("\n",
                "run(\"Text to Image (Stable Diffusion)...\", \"model=shapes-sd prompt=[" + weighted + "]"
                        + " steps=4 scheduler=euler_a guidance=6 seed=11 emphasis=[No norm]\");",
                "saveAs(\"Tiff\", \"" + path("first.tif") + "\");",
                "run(\"Generate Again...\", \"source=image\");",
                "saveAs(\"Tiff\", \"" + path("again-image.tif") + "\");",
                "run(\"Generate Again...\", \"source=file file=[" + path("first.tif") + "]\");",
                "saveAs(\"Tiff\", \"" + path("again-tiff.tif") + "\");",
                "run(\"Generate Again...\", \"source=file file=[" + a1111 + "] model=shapes-sd\");",
                "saveAs(\"Tiff\", \"" + path("again-a1111.tif") + "\");",
                "run(\"Text to Image (Stable Diffusion)...\", \"model=shapes-sd prompt=[" + PROMPT + "]"
                        + " negative=blurry steps=4 scheduler=euler_a guidance=7 seed=99 width=64 height=64\");",
                "saveAs(\"Tiff\", \"" + path("direct.tif") + "\");"));
        assertTrue(run.output().contains("Generate Again: a1111.png: ignoring Clip skip, Version"), run.describe());
        assertTrue(run.output().contains("Generate Again: warning: a1111.png was made with a model of Model hash abc,"
                + " but 'shapes-sd' in use now has hash "), run.describe());
        assertFalse(run.output().contains("first.tif was made with"), "the same model, no warning: "
                + run.describe());
        ImagePlus first = open("first.tif");
        assertTrue(first.getInfoProperty().contains("emphasis: No norm"), first.getInfoProperty());
        assertArrayEquals(pixels(first, 1), pixels(open("again-image.tif"), 1));
        assertArrayEquals(pixels(first, 1), pixels(open("again-tiff.tif"), 1));
        assertArrayEquals(pixels(open("direct.tif"), 1), pixels(open("again-a1111.tif"), 1));
        // The emphasis reached the pipeline: the same request in-process with No norm, and not with Original.
        GenerationRequest request = new GenerationRequest(List.of(weighted), null, 11, 4, 6, "euler_a", 0, 0, 1,
                GenerationRequest.DEFAULT_STRENGTH, Emphasis.NO_NORM);
        Path model = Path.of("models/shapes-sd");
        assertArrayEquals(rgb(model, request), pixels(first, 1));
        assertFalse(Arrays.equals(rgb(model, request.withEmphasis(Emphasis.ORIGINAL)), pixels(first, 1)));
    }

    @Test
    void badValuesStopTheMacroWithTheReason() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            many.append(i > 1 ? "," : "").append(i);
        }
        String grid = "run(\"Parameter Grid...\", \"model=shapes-sd prompt=circle steps=2 ";
        assertRefused(grid + "x_axis=seed x_values=" + many + " y_axis=steps y_values=" + many + "\");",
                "Parameter Grid: the grid has 10000 cells; the limit is 400");
        assertRefused(grid + "x_axis=scheduler x_values=euler,heun\");", "unknown scheduler 'heun'");
        assertRefused(grid + "x_axis=guidance x_values=7,high\");", "x_values: grid axis guidance: 'high' is not"
                + " a number");
        assertRefused(grid + "x_axis=strength x_values=0.5,0.7\");", "a strength axis needs an init image");
        assertRefused(grid + "x_axis=seed x_values=1 y_axis=bogus y_values=1\");", "y_axis=bogus is not a valid"
                + " choice");
        assertRefused("run(\"Latent Walk...\", \"model=shapes-sd prompt=circle steps=2 seeds=1\");",
                "a walk needs two or more seeds (seeds=1,2) or two or more prompts separated by |");
        assertRefused("run(\"Latent Walk...\", \"model=shapes-sd prompt=[circle|square|star] steps=2"
                + " seeds=1,2\");", "a walk over seeds and prompts together needs as many seeds as prompts");
        assertRefused("run(\"Latent Walk...\", \"model=shapes-sd prompt=[circle||star] steps=2\");",
                "a walk prompt is empty");
        assertRefused("run(\"Latent Walk...\", \"model=shapes-sd prompt=circle steps=2 seeds=1,x\");",
                "seeds: 'x' is not a seed");
        assertRefused(T2I + "seed=1 emphasis=Heavy\");", "emphasis=Heavy is not a valid choice; expected one of:"
                + " Original, No norm, Comfy, Ignore, None");
        assertRefused("newImage(\"init\", \"RGB ramp\", 64, 64, 1); run(\"Image to Image (Stable Diffusion)...\","
                + " \"model=shapes-sd prompt=star steps=2 seed=1\"); run(\"Generate Again...\", \"source=image\");",
                "cannot make star again: it was made by Image to Image from init");
        assertRefused("run(\"Generate Again...\", \"source=file file=[" + path("missing.png") + "]\");",
                "does not exist");
    }

    @Test
    void everyMacroOfTheStableDiffusionPageOnSweepsRunsAsWritten() throws Exception {
        List<String> macros = MarkdownMacros.of(Path.of("docs/stable-diffusion.md"));
        // The first, Text to Image with every key, prints nothing: it has only to run.
        List<String> printed = List.of("", "grid montage: 4 cells, the last Seed: 2 · CFG scale: 7.5", "4 img2img cells",
                "9 frames, ",
                "5 frames from 1: prompt 1", "the same picture again: yes");
        assertEquals(printed.size(), macros.size(), "macros on the page");
        for (int i = 0; i < macros.size(); i++) {
            Processes.Result run = assertRuns(macros.get(i));
            assertTrue(run.output().contains(printed.get(i)), "macro " + (i + 1) + ":\n" + macros.get(i)
                    + "\nprinted: " + run.describe());
        }
    }

    private static int[] rgb(Path model, GenerationRequest request) {
        return Arrays.stream(new GenerationJob().setModel(model.toString()).setRequest(request).run().images()
                .rgb(0)).map(p -> p & 0xFFFFFF).toArray();
    }

    /** A black 64×64 PNG with only A1111's {@code parameters} tEXt chunk, as AUTOMATIC1111 saves its pictures. */
    private static void writeA1111Png(Path file, String parameters) throws Exception {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 64,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
                null);
        IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
        IIOMetadataNode text = new IIOMetadataNode("tEXt");
        IIOMetadataNode entry = new IIOMetadataNode("tEXtEntry");
        entry.setAttribute("keyword", "parameters");
        entry.setAttribute("value", parameters);
        text.appendChild(entry);
        root.appendChild(text);
        metadata.mergeTree("javax_imageio_png_1.0", root);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(new IIOImage(image, null, metadata));
        } finally {
            writer.dispose();
        }
    }
}
