package org.ijgenai.core.tiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.onnx.OnnxModel;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.CancelledException;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tiled against whole-image inference on two committed networks made by tools/segment/export_tiny_models.py:
 * {@code dilated_rf23.onnx} (3 → 2 channels, 3×3 convs dilated 1, 2, 4, 4: receptive-field radius 11) and
 * {@code strided_m4.onnx} (two stride-2 stages, sizes must be multiples of 4, radius 10 at the centre phase).
 * The whole-image reference is computed here directly: the image padded by this test's own reflection code and
 * one ONNX call.
 */
class TiledRunnerTest {

    private static OnnxModel dilated;
    private static OnnxModel strided;

    @BeforeAll
    static void load() throws URISyntaxException {
        dilated = OnnxModel.load(resource("dilated_rf23.onnx"), SessionSettings.DEFAULT);
        strided = OnnxModel.load(resource("strided_m4.onnx"), SessionSettings.DEFAULT);
    }

    @AfterAll
    static void close() {
        dilated.close();
        strided.close();
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(TiledRunnerTest.class.getResource(name).toURI());
    }

    private static TileFunction network(OnnxModel model) {
        return tile -> {
            long[] s = tile.shape();
            Tensor out = model.run(Map.of("input", tile.reshape(1, s[0], s[1], s[2])), "test tile").get("output");
            long[] o = out.shape();
            return out.reshape(o[1], o[2], o[3]);
        };
    }

    private static PlanarImage randomImage(int channels, int width, int height, long seed) {
        Random random = new Random(seed);
        PlanarImage image = PlanarImage.zeros(channels, width, height);
        for (int c = 0; c < channels; c++) {
            float[] plane = image.plane(c);
            for (int i = 0; i < plane.length; i++) {
                plane[i] = random.nextFloat();
            }
        }
        return image;
    }

    /** numpy.pad(mode="reflect") with the padding split as (total / 2, rest), written independently here. */
    private static int reflect(int i, int n) {
        while (i < 0 || i >= n) {
            i = i < 0 ? -i : 2 * (n - 1) - i;
        }
        return i;
    }

    /** Whole-image inference: pad to the multiple by reflection, one network call, crop. */
    private static PlanarImage whole(OnnxModel model, PlanarImage image, int multiple) {
        int w = image.width();
        int h = image.height();
        int pw = (w + multiple - 1) / multiple * multiple;
        int ph = (h + multiple - 1) / multiple * multiple;
        int left = (pw - w) / 2;
        int top = (ph - h) / 2;
        int c = image.channels();
        float[] padded = new float[c * ph * pw];
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    padded[(k * ph + y) * pw + x] = image.get(k, reflect(x - left, w), reflect(y - top, h));
                }
            }
        }
        Tensor out = model.run(Map.of("input", Tensor.ofFloats(padded, 1, c, ph, pw)), "whole").get("output");
        int oc = (int) out.dim(1);
        float[] data = out.floats();
        PlanarImage result = PlanarImage.zeros(oc, w, h);
        for (int k = 0; k < oc; k++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    result.plane(k)[y * w + x] = data[(k * ph + y + top) * pw + x + left];
                }
            }
        }
        return result;
    }

    private static float maxDifference(PlanarImage a, PlanarImage b, int border) {
        assertEquals(a.channels(), b.channels());
        float max = 0;
        for (int c = 0; c < a.channels(); c++) {
            for (int y = border; y < a.height() - border; y++) {
                for (int x = border; x < a.width() - border; x++) {
                    max = Math.max(max, Math.abs(a.get(c, x, y) - b.get(c, x, y)));
                }
            }
        }
        return max;
    }

    /** The largest difference within {@code band} pixels of the image border. */
    private static float maxDifferenceAtEdges(PlanarImage a, PlanarImage b, int band) {
        float max = 0;
        for (int c = 0; c < a.channels(); c++) {
            for (int y = 0; y < a.height(); y++) {
                for (int x = 0; x < a.width(); x++) {
                    boolean edge = x < band || y < band || x >= a.width() - band || y >= a.height() - band;
                    if (edge) {
                        max = Math.max(max, Math.abs(a.get(c, x, y) - b.get(c, x, y)));
                    }
                }
            }
        }
        return max;
    }

    @Test
    void tiledEqualsWholeInInteriorAndAtEdgesWhenReceptiveFieldFitsTheDiscardedMargin() {
        PlanarImage image = randomImage(3, 157, 123, 1);
        PlanarImage reference = whole(dilated, image, 1);
        // Overlap 24 with a 2-pixel feathered zone discards 11 pixels per side: exactly the receptive radius.
        TileSpec spec = TileSpec.square(48, 24).withBlend(2);
        TiledRunner runner = new TiledRunner(spec);
        assertTrue(runner.tileCount(157, 123) >= 12, "the image must really be cut into many tiles");
        PlanarImage tiled = runner.run(TileSource.of(image), network(dilated), ProgressListener.NONE,
                CancellationToken.NONE);
        assertEquals(2, tiled.channels());
        assertEquals(157, tiled.width());
        assertEquals(123, tiled.height());
        assertTrue(maxDifference(tiled, reference, 12) < 2e-5, "interior " + maxDifference(tiled, reference, 12));
        assertTrue(maxDifferenceAtEdges(tiled, reference, 12) < 2e-5,
                "edges " + maxDifferenceAtEdges(tiled, reference, 12));
    }

    @Test
    void receptiveFieldWiderThanTheDiscardedMarginShowsSeams() {
        // The negative control: the same network with only 8 discarded pixels per side differs from whole-image
        // inference, which proves the receptive field is close to the overlap and the test above can fail.
        PlanarImage image = randomImage(3, 157, 123, 1);
        PlanarImage reference = whole(dilated, image, 1);
        TiledRunner runner = new TiledRunner(TileSpec.square(48, 24).withBlend(8));
        PlanarImage tiled = runner.run(TileSource.of(image), network(dilated), ProgressListener.NONE,
                CancellationToken.NONE);
        assertTrue(maxDifference(tiled, reference, 12) > 1e-3, "seams expected, got "
                + maxDifference(tiled, reference, 12));
    }

    @Test
    void stridedNetworkTiledEqualsWholeWithSizeMultipleAndOddSizes() {
        PlanarImage image = randomImage(1, 157, 123, 2);
        PlanarImage reference = whole(strided, image, 4);
        TileSpec spec = TileSpec.square(64, 32).withBlend(4).withSizeMultiple(4);
        TiledRunner runner = new TiledRunner(spec);
        for (int start : runner.columns(157).starts()) {
            assertEquals(0, start % 4, "tile starts stay on the stride grid");
        }
        PlanarImage tiled = runner.run(TileSource.of(image), network(strided), ProgressListener.NONE,
                CancellationToken.NONE);
        assertTrue(maxDifference(tiled, reference, 0) < 2e-5, "everywhere " + maxDifference(tiled, reference, 0));
    }

    @Test
    void singleTileEqualsWholeImage() {
        PlanarImage image = randomImage(1, 37, 29, 3);
        PlanarImage tiled = new TiledRunner(TileSpec.whole(4)).run(TileSource.of(image), network(strided),
                ProgressListener.NONE, CancellationToken.NONE);
        assertTrue(maxDifference(tiled, whole(strided, image, 4), 0) < 1e-6);
    }

    @Test
    void fixedSizeNetworkGetsImagesSmallerThanTheTilePaddedUpAndCroppedBack() {
        PlanarImage image = randomImage(1, 21, 13, 4);
        List<long[]> shapes = new ArrayList<>();
        TileFunction identity = tile -> {
            shapes.add(tile.shape());
            return Tensor.ofFloats(tile.floats().clone(), tile.shape());
        };
        TileSpec spec = new TileSpec(32, 32, 8, 4, 1, 1, Padding.REFLECT, true);
        PlanarImage out = new TiledRunner(spec).run(TileSource.of(image), identity, ProgressListener.NONE,
                CancellationToken.NONE);
        assertEquals(1, shapes.size());
        assertArrayEquals(new long[] {1, 32, 32}, shapes.get(0));
        assertEquals(image, out);
    }

    @Test
    void outputScaleTwoBlendsUpsampledTiles() {
        PlanarImage image = randomImage(2, 45, 31, 5);
        // Nearest-neighbour ×2 upsampling, so the expected result is known pixel by pixel.
        TileFunction upsample = tile -> {
            int c = (int) tile.dim(0);
            int h = (int) tile.dim(1);
            int w = (int) tile.dim(2);
            float[] in = tile.floats();
            float[] out = new float[c * 4 * h * w];
            for (int k = 0; k < c; k++) {
                for (int y = 0; y < 2 * h; y++) {
                    for (int x = 0; x < 2 * w; x++) {
                        out[(k * 2 * h + y) * 2 * w + x] = in[(k * h + y / 2) * w + x / 2];
                    }
                }
            }
            return Tensor.ofFloats(out, c, 2L * h, 2L * w);
        };
        TileSpec spec = TileSpec.square(16, 6).withOutputScale(2);
        PlanarImage out = new TiledRunner(spec).run(TileSource.of(image), upsample, ProgressListener.NONE,
                CancellationToken.NONE);
        assertEquals(90, out.width());
        assertEquals(62, out.height());
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 62; y++) {
                for (int x = 0; x < 90; x++) {
                    assertEquals(image.get(c, x / 2, y / 2), out.get(c, x, y), 1e-6f);
                }
            }
        }
    }

    @Test
    void weightsSumToOneAndOverlapsAreRespectedForManyLengths() {
        for (int length = 1; length < 300; length += 7) {
            for (int multiple : new int[] {1, 4, 8}) {
                AxisLayout layout = AxisLayout.of(length, 64, 20, 10, multiple, false);
                assertEquals(0, layout.domain() % multiple);
                assertTrue(layout.domain() - length < multiple);
                assertEquals(0, layout.start(0));
                assertEquals(layout.domain(), layout.start(layout.count() - 1) + layout.tile());
                if (layout.count() > 1) {
                    assertTrue(layout.minOverlap() >= 20, layout + " overlap " + layout.minOverlap());
                }
                double[] sum = new double[layout.domain()];
                for (int i = 0; i < layout.count(); i++) {
                    float[] w = layout.weights(i, 1);
                    for (int k = 0; k < w.length; k++) {
                        sum[layout.start(i) + k] += w[k];
                    }
                }
                for (int x = 0; x < sum.length; x++) {
                    assertEquals(1.0, sum[x], 1e-6, layout + " at " + x);
                }
            }
        }
    }

    @Test
    void reflectionAndEdgePaddingMatchNumpy() {
        // numpy.pad(np.arange(4), 6, mode="reflect") = [0 1 2 3 2 1 | 0 1 2 3 | 2 1 0 1 2 3]
        int[] expected = {0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], Padding.REFLECT.map(i - 6, 4), "at " + (i - 6));
        }
        assertEquals(0, Padding.EDGE.map(-3, 4));
        assertEquals(3, Padding.EDGE.map(9, 4));
        assertEquals(-1, Padding.ZERO.map(4, 4));
        assertEquals(0, Padding.REFLECT.map(5, 1));
    }

    @Test
    void reportsProgressPerTileAndStopsWhenCancelled() {
        PlanarImage image = randomImage(1, 100, 100, 6);
        TiledRunner runner = new TiledRunner(TileSpec.square(32, 8));
        int total = runner.tileCount(100, 100);
        List<Integer> done = new ArrayList<>();
        CancellationToken token = new CancellationToken();
        TileFunction identity = tile -> {
            if (done.size() == 2) {
                token.cancel();
            }
            return Tensor.ofFloats(tile.floats().clone(), tile.shape());
        };
        assertThrows(CancelledException.class, () -> runner.run(TileSource.of(image), identity,
                (d, t, message) -> {
                    assertEquals(total, t);
                    done.add(d);
                }, token));
        assertEquals(List.of(1, 2, 3), done);
    }

    @Test
    void wrongTileOutputShapeIsReportedWithTheExpectedShape() {
        PlanarImage image = randomImage(1, 50, 50, 7);
        TileFunction shrink = tile -> Tensor.ofFloats(new float[4], 1, 2, 2);
        GenAiException e = assertThrows(GenAiException.class, () -> new TiledRunner(TileSpec.square(32, 8))
                .run(TileSource.of(image), shrink, ProgressListener.NONE, CancellationToken.NONE));
        assertTrue(e.getMessage().contains("[channels, 32, 32]"), e.getMessage());
    }

    @Test
    void impossibleSpecsAreRejectedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TileSpec.square(16, 16));
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TileSpec.square(30, 8).withSizeMultiple(4));
        assertThrows(IllegalArgumentException.class, () -> TileSpec.square(32, 8).withBlend(9));
    }
}
