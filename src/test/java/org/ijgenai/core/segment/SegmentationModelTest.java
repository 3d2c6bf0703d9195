package org.ijgenai.core.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.tiling.PlanarImage;
import org.ijgenai.core.tiling.TileSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segmentation runner against PyTorch: tools/segment/export_tiny_models.py exported the blob detectors and
 * wrote what PyTorch itself computes from them on {@code blobs.png} (157×123, odd) into the {@code .f32} files.
 */
class SegmentationModelTest {

    private static final int W = 157;
    private static final int H = 123;
    private static PlanarImage rgb;

    @BeforeAll
    static void readImage() throws IOException, URISyntaxException {
        BufferedImage image = ImageIO.read(resource("blobs.png").toFile());
        rgb = PlanarImage.zeros(3, image.getWidth(), image.getHeight());
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                rgb.plane(0)[y * W + x] = (p >> 16) & 0xff;
                rgb.plane(1)[y * W + x] = (p >> 8) & 0xff;
                rgb.plane(2)[y * W + x] = p & 0xff;
            }
        }
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(SegmentationModelTest.class.getResource(name).toURI());
    }

    private static float[] reference(String name) throws IOException, URISyntaxException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(resource(name + ".f32"))).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    private static Segmentation segment(String descriptor, PlanarImage image, int bitDepth, int tile)
            throws URISyntaxException {
        try (SegmentationModel model = SegmentationModel.open(resource(descriptor), SessionSettings.DEFAULT)) {
            return model.segment(TileSource.of(image), bitDepth, tile, ProgressListener.NONE, CancellationToken.NONE);
        }
    }

    private static float maxDifference(float[] expected, PlanarImage maps, int border) {
        float max = 0;
        int n = W * H;
        for (int c = 0; c < maps.channels(); c++) {
            for (int y = border; y < H - border; y++) {
                for (int x = border; x < W - border; x++) {
                    max = Math.max(max, Math.abs(expected[c * n + y * W + x] - maps.plane(c)[y * W + x]));
                }
            }
        }
        return max;
    }

    @Test
    void tiledSigmoidModelMatchesPyTorch() throws Exception {
        Segmentation result = segment("blobs_sigmoid.json", rgb, 24, 0);
        assertEquals(1, result.maps().channels());
        float diff = maxDifference(reference("blobs_sigmoid"), result.maps(), 0);
        assertTrue(diff < 1e-5, "max difference " + diff);
        assertEquals(List.of(), result.notes());
    }

    @Test
    void logitsBecomeSoftmaxProbabilitiesMatchingPyTorch() throws Exception {
        Segmentation result = segment("blobs_logits.json", rgb, 24, 0);
        assertEquals(3, result.maps().channels());
        float diff = maxDifference(reference("blobs_logits_softmax"), result.maps(), 0);
        assertTrue(diff < 1e-5, "max difference " + diff);
    }

    @Test
    void labelOutputGivesTheSameClassesAsPyTorchArgmax() throws Exception {
        Segmentation result = segment("blobs_label.json", rgb, 24, 0);
        float[] expected = reference("blobs_label");
        int[] classes = result.classMap();
        int wrong = 0;
        for (int i = 0; i < classes.length; i++) {
            wrong += classes[i] == (int) expected[i] ? 0 : 1;
        }
        assertEquals(0, wrong);
        assertTrue(java.util.Arrays.stream(classes).distinct().count() == 3, "all three classes occur");
    }

    @Test
    void bgrChannelsLastModelIsFedInItsOrderAndLayout() throws Exception {
        Segmentation result = segment("blobs_bgr_nhwc.json", rgb, 24, 0);
        float diff = maxDifference(reference("blobs_sigmoid"), result.maps(), 0);
        assertTrue(diff < 1e-5, "max difference " + diff);
    }

    @Test
    void fixedSizeModelResizesTheWholeImageLikePyTorchBilinear() throws Exception {
        Segmentation result = segment("blobs_fixed64.json", rgb, 24, 0);
        float diff = maxDifference(reference("blobs_fixed64"), result.maps(), 0);
        assertTrue(diff < 1e-4, "max difference " + diff);
    }

    @Test
    void antialiasedResizeMatchesPyTorchAntialiasAndDiffersFromPlain() throws Exception {
        Segmentation result = segment("blobs_fixed64_antialias.json", rgb, 24, 0);
        float diff = maxDifference(reference("blobs_fixed64_antialias"), result.maps(), 0);
        assertTrue(diff < 1e-4, "max difference " + diff);
        assertTrue(maxDifference(reference("blobs_fixed64"), result.maps(), 0) > 1e-2,
                "the two resize filters must give visibly different maps, or the tests prove nothing");
    }

    @Test
    void zeroMeanUnitVarianceUsesWholeImageStatisticsInEveryTile() throws Exception {
        // bioimage.io format 0.4; 48-pixel tiles, each of which alone has very different statistics.
        Segmentation result = segment("blobs_zmuv.rdf.yaml", rgb, 24, 48);
        float diff = maxDifference(reference("blobs_zmuv"), result.maps(), 0);
        assertTrue(diff < 1e-4, "max difference " + diff);
    }

    @Test
    void scaleRangeFromFormat05RdfMatchesNumpyPercentiles() throws Exception {
        SegmentationDescriptor d = SegmentationDescriptor.load(resource("blobs_scale_range.bioimageio.yaml"));
        assertEquals(8, d.sizeMultiple());
        assertEquals(16, d.overlap());
        assertEquals(3, d.channels());
        Segmentation result = segment("blobs_scale_range.bioimageio.yaml", rgb, 24, 64);
        // The size multiple 8 pads the border by reflection where PyTorch saw zeros: compare beyond the network's
        // receptive radius (3) from the border.
        float diff = maxDifference(reference("blobs_scale_range"), result.maps(), 4);
        assertTrue(diff < 1e-4, "max difference " + diff);
    }

    @Test
    void maskObjectsAreTheBrightDisks() throws Exception {
        Segmentation result = segment("blobs_sigmoid.json", rgb, 24, 0);
        ConnectedComponents.Labeling objects = result.objects(0.5, 1);
        // Disks of red 250, 230 and 250 with radii 12, 15 and 6; the dim ones (120, 90) stay below 0.5.
        assertEquals(3, objects.count());
        assertEquals(Math.PI * 144, objects.area(1), 40);
        assertEquals(Math.PI * 225, objects.area(2), 50);
        assertEquals(Math.PI * 36, objects.area(3), 25);
        assertEquals(2, result.objects(0.5, 200).count());
    }

    @Test
    void greyImageForRgbModelIsCopiedToThreeChannelsAndSaysSo() throws Exception {
        PlanarImage grey = new PlanarImage(W, H, new float[][] {rgb.plane(0).clone()});
        Segmentation result = segment("blobs_sigmoid.json", grey, 8, 0);
        assertTrue(result.notes().get(0).contains("grey image"), result.notes().toString());
        // Red drives the network, so a grey image of the red channel gives the same map.
        assertTrue(maxDifference(reference("blobs_sigmoid"), result.maps(), 0) < 1e-5);
    }

    @Test
    void sixteenBitImageIsRescaledToTheModelRangeAndSaysSo() throws Exception {
        PlanarImage wide = PlanarImage.zeros(3, W, H);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < W * H; i++) {
                wide.plane(c)[i] = rgb.plane(c)[i] * 100;
            }
        }
        Segmentation result = segment("blobs_sigmoid.json", wide, 16, 0);
        assertTrue(result.notes().get(0).startsWith("16-bit values"), result.notes().toString());
    }

    @Test
    void imageSmallerThanTheMinimumIsRefusedWithBothSizes(@TempDir Path dir) throws Exception {
        Files.copy(resource("blobs_sigmoid.onnx"), dir.resolve("model.onnx"));
        Files.writeString(dir.resolve("segmentation.json"), "{\"size\": {\"min\": 32}, \"normalization\": "
                + "{\"mode\": \"linear\", \"scale\": 0.0039}}");
        PlanarImage small = PlanarImage.zeros(3, 20, 40);
        try (SegmentationModel model = SegmentationModel.open(dir, SessionSettings.DEFAULT)) {
            GenAiException e = assertThrows(GenAiException.class, () -> model.segment(TileSource.of(small), 24, 0,
                    ProgressListener.NONE, CancellationToken.NONE));
            assertTrue(e.getMessage().contains("20×40") && e.getMessage().contains("32×32"), e.getMessage());
        }
    }

    @Test
    void missingDescriptorAndMissingModelAreNamed(@TempDir Path dir) throws Exception {
        GenAiException none = assertThrows(GenAiException.class,
                () -> SegmentationModel.open(dir, SessionSettings.DEFAULT));
        assertTrue(none.getMessage().contains("segmentation.json"), none.getMessage());
        Files.writeString(dir.resolve("segmentation.json"), "{\"model\": \"weights.onnx\"}");
        GenAiException missing = assertThrows(GenAiException.class,
                () -> SegmentationModel.open(dir, SessionSettings.DEFAULT));
        assertTrue(missing.getMessage().contains("weights.onnx"), missing.getMessage());
    }

    @Test
    void rdfWithoutOnnxWeightsIsRefusedClearly(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("rdf.yaml"), "format_version: 0.4.10\ntype: model\nname: x\n"
                + "weights:\n  pytorch_state_dict:\n    source: w.pt\n");
        GenAiException e = assertThrows(GenAiException.class, () -> SegmentationDescriptor.load(dir));
        assertTrue(e.getMessage().contains("no ONNX weights"), e.getMessage());
    }
}
