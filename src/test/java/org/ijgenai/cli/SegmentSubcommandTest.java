package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.io.FileSaver;
import ij.io.RoiDecoder;

/** {@code ij-genai segment} on the committed blob detector and its PyTorch reference. */
class SegmentSubcommandTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(SegmentSubcommandTest.class.getResource("/org/ijgenai/core/segment/" + name).toURI());
    }

    private record Run(int code, String out, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<Roi> readRois(Path zip) throws Exception {
        List<Roi> rois = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                rois.add(RoiDecoder.openFromByteArray(in.readAllBytes()));
            }
        }
        return rois;
    }

    @Test
    void segmentWritesMaskProbabilityLabelsAndRoiSet(@TempDir Path dir) throws Exception {
        Path mask = dir.resolve("out/mask.tif");
        Path prob = dir.resolve("prob.tif");
        Path labels = dir.resolve("labels.tif");
        Path rois = dir.resolve("rois.zip");
        Run run = cli("segment", "--model", resource("blobs_sigmoid.json").toString(), "--image",
                resource("blobs.png").toString(), "--threshold", "0.5", "--out", mask.toString(), "--prob",
                prob.toString(), "--labels", labels.toString(), "--rois", rois.toString());
        assertEquals(0, run.code(), run.err());

        ImagePlus maskImage = IJ.openImage(mask.toString());
        assertEquals(8, maskImage.getBitDepth());
        assertEquals(157, maskImage.getWidth());
        ImagePlus probImage = IJ.openImage(prob.toString());
        float[] p = (float[]) probImage.getProcessor().getPixels();
        ByteBuffer ref = ByteBuffer.wrap(Files.readAllBytes(resource("blobs_sigmoid.f32")))
                .order(ByteOrder.LITTLE_ENDIAN);
        byte[] m = (byte[]) maskImage.getProcessor().getPixels();
        for (int i = 0; i < p.length; i++) {
            float expected = ref.getFloat(4 * i);
            assertEquals(expected, p[i], 1e-5f, "probability at " + i);
            assertEquals(expected >= 0.5f, m[i] != 0, "mask at " + i);
        }
        ImagePlus labelImage = IJ.openImage(labels.toString());
        assertEquals(3, (int) labelImage.getProcessor().getStatistics().max);
        List<Roi> set = readRois(rois);
        assertEquals(3, set.size());
        // The ROI of the largest disk (radius 15 at 60, 90) encloses about π·15² pixels.
        // Each ROI holds exactly its object's pixels (areas from the label image).
        int[] areas = new int[4];
        short[] labelPixels = (short[]) labelImage.getProcessor().getPixels();
        for (short v : labelPixels) {
            areas[v]++;
        }
        for (int k = 0; k < 3; k++) {
            assertEquals(areas[k + 1], set.get(k).getStatistics().pixelCount, "ROI " + (k + 1));
        }
        assertTrue(set.get(1).contains(60, 90), "the second object is the disk at (60, 90)");
    }

    @Test
    void measurementsTableHoldsEachObjectsPixelCountFromTheLabelImage(@TempDir Path dir) throws Exception {
        Path labels = dir.resolve("labels.tif");
        Path table = dir.resolve("objects.csv");
        Run run = cli("segment", "--model", resource("blobs_sigmoid.json").toString(), "--image",
                resource("blobs.png").toString(), "--out", dir.resolve("mask.tif").toString(), "--labels",
                labels.toString(), "--measurements", table.toString());
        assertEquals(0, run.code(), run.err());
        int[] areas = new int[4];
        for (short v : (short[]) IJ.openImage(labels.toString()).getProcessor().getPixels()) {
            areas[v]++;
        }
        List<String> lines = Files.readAllLines(table);
        assertEquals("Slice,Label,Pixels,Area,X,Y,BX,BY,Width,Height,Mean", lines.get(0));
        assertEquals(4, lines.size());
        for (int k = 1; k <= 3; k++) {
            String[] cells = lines.get(k).split(",");
            assertEquals(String.valueOf(k), cells[1]);
            assertEquals(String.valueOf(areas[k]), cells[2], "pixels of object " + k);
        }
        Run wrongName = cli("segment", "--model", resource("blobs_sigmoid.json").toString(), "--image",
                resource("blobs.png").toString(), "--out", dir.resolve("mask2.tif").toString(), "--measurements",
                dir.resolve("objects.xlsx").toString());
        assertEquals(2, wrongName.code());
        assertTrue(wrongName.err().contains("--measurements must end in .tsv, .csv or .txt"), wrongName.err());
    }

    @Test
    void everySliceOfAStackIsSegmentedAndRoisCarryTheirSlice(@TempDir Path dir) throws Exception {
        ImagePlus one = IJ.openImage(resource("blobs.png").toString());
        ImageStack stack = new ImageStack(one.getWidth(), one.getHeight());
        stack.addSlice("a", one.getProcessor().duplicate());
        var second = one.getProcessor().duplicate();
        second.flipHorizontal();
        stack.addSlice("b", second);
        Path tif = dir.resolve("stack.tif");
        new FileSaver(new ImagePlus("stack", stack)).saveAsTiffStack(tif.toString());
        Path mask = dir.resolve("mask.tif");
        Path rois = dir.resolve("rois.zip");
        Run run = cli("segment", "--model", resource("blobs_sigmoid.json").toString(), "--image", tif.toString(),
                "--out", mask.toString(), "--rois", rois.toString(), "--min-size", "200");
        assertEquals(0, run.code(), run.err());
        assertEquals(2, IJ.openImage(mask.toString()).getStackSize());
        List<Roi> set = readRois(rois);
        assertEquals(4, set.size(), "two disks of at least 200 pixels per slice");
        assertEquals(1, set.get(0).getPosition());
        assertEquals(2, set.get(3).getPosition());
    }

    @Test
    void cutoutPutsTheBlobsOnTheChosenColour(@TempDir Path dir) throws Exception {
        Path cutout = dir.resolve("cutout.png");
        Run run = cli("segment", "--model", resource("blobs_sigmoid.json").toString(), "--image",
                resource("blobs.png").toString(), "--out", dir.resolve("mask.png").toString(), "--cutout",
                cutout.toString(), "--background", "#00ff00");
        assertEquals(0, run.code(), run.err());
        ImagePlus image = IJ.openImage(cutout.toString());
        ImagePlus original = IJ.openImage(resource("blobs.png").toString());
        assertEquals(0x00ff00, image.getProcessor().getPixel(5, 5) & 0xffffff, "background");
        assertEquals(original.getProcessor().getPixel(30, 25) & 0xffffff,
                image.getProcessor().getPixel(30, 25) & 0xffffff, "subject kept");
        Run bad = cli("segment", "--model", "m", "--image", "i", "--out", dir.resolve("mask.bmp").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("mask.bmp"), bad.err());
    }

    @Test
    void missingImageAndUnknownOptionAreOneLineErrors(@TempDir Path dir) throws Exception {
        Run missing = cli("segment", "--model", resource("blobs_sigmoid.json").toString(), "--image",
                dir.resolve("nope.png").toString(), "--out", dir.resolve("m.tif").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("image not found") && missing.err().contains("nope.png"), missing.err());
        assertEquals(1, missing.err().strip().lines().count());
        Run unknown = cli("segment", "--model", "x", "--image", "y", "--out", "z", "--treshold", "0.4");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--treshold"), unknown.err());
        Run noModel = cli("segment", "--model", dir.toString(), "--image", resource("blobs.png").toString(), "--out",
                dir.resolve("m.tif").toString());
        assertEquals(1, noModel.code());
        assertTrue(noModel.err().contains("segmentation.json"), noModel.err());
    }
}
