package org.ijgenai.core.style;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.CancelledException;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.tiling.PlanarImage;
import org.ijgenai.core.tiling.TileSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The runner against references computed by tools/style/make_tiny_generators.py with torch on the same weights
 * and each format's documented pre- and post-processing.
 */
class StyleTransferTest {

    /** ONNX Runtime against torch on the same weights: float32 noise only, far below one 8-bit level. */
    private static final double FLOAT_TOLERANCE = 0.02;

    static StyleDescriptor descriptor(String model, String format) {
        if (format.equals("descriptor")) {
            return StyleDescriptor.resolve(StyleTestData.resource(model), null);
        }
        return StyleDescriptor.resolve(StyleTestData.resource(model), StyleFormat.parse(format));
    }

    static PlanarImage style(StyleDescriptor descriptor, PlanarImage image, StyleOptions options) {
        try (StyleTransfer transfer = StyleTransfer.open(descriptor, SessionSettings.DEFAULT)) {
            return transfer.apply(image, options, ProgressListener.NONE, CancellationToken.NONE);
        }
    }

    private static void assertMatches(String ref, PlanarImage out) {
        float[] expected = StyleTestData.reference(ref);
        assertEquals(expected.length, 3 * out.width() * out.height(), "output size");
        double error = StyleTestData.maxFloatError(out, expected);
        assertTrue(error < FLOAT_TOLERANCE, ref + ": float error " + error + " (0–255 units)");
        assertTrue(StyleTestData.max8BitError(out, expected) <= 1.0, ref + ": 8-bit error above 1/255");
    }

    @ParameterizedTest(name = "{0} ({1}) on {2}")
    @CsvSource({
        "tiny-animegan.onnx, animegan, 61x47, animegan",
        "tiny-cyclegan.onnx, cyclegan, 61x47, cyclegan",
        "tiny-fns.onnx, fast-neural-style, 61x47, fns",
        "bgr01, descriptor, 61x47, bgr01",
        "tiny-animegan.onnx, animegan, 101x77, animegan",
        "tiny-cyclegan.onnx, cyclegan, 101x77, cyclegan",
        "tiny-fns.onnx, fast-neural-style, 101x77, fns",
        "bgr01, descriptor, 101x77, bgr01",
        "tiny-transformernet.onnx, fast-neural-style, 61x47, transformernet",
        "tiny-transformernet.onnx, fast-neural-style, 101x77, transformernet",
    })
    void wholeImageMatchesTorchReference(String model, String format, String size, String ref) {
        PlanarImage input = StyleTestData.png("input-" + size + ".png");
        PlanarImage out = style(descriptor(model, format), input, StyleOptions.DEFAULT);
        assertEquals(input.width(), out.width());
        assertEquals(input.height(), out.height());
        assertMatches("ref-" + ref + "-" + size + ".f32", out);
    }

    @ParameterizedTest(name = "{0} ({1}) tiled")
    @CsvSource({
        "tiny-animegan.onnx, animegan, animegan",
        "tiny-cyclegan.onnx, cyclegan, cyclegan",
        "tiny-fns.onnx, fast-neural-style, fns",
        "bgr01, descriptor, bgr01",
    })
    void tiledImageMatchesTorchReference(String model, String format, String ref) {
        PlanarImage input = StyleTestData.png("input-101x77.png");
        StyleDescriptor d = descriptor(model, format);
        // 48-pixel tiles with 32 shared: 12 pixels at each inner tile edge are discarded, more than the miniatures'
        // receptive-field radius (2 to 7), so tiling must reproduce the whole-image reference.
        StyleOptions options = new StyleOptions(1.0, 48, 32);
        try (StyleTransfer transfer = StyleTransfer.open(d, SessionSettings.DEFAULT)) {
            TileSpec spec = transfer.tiling(101, 77, options);
            assertFalse(spec.isWhole());
            assertTrue(new org.ijgenai.core.tiling.TiledRunner(spec).tileCount(101, 77) >= 6);
        }
        assertMatches("ref-" + ref + "-101x77.f32", style(d, input, options));
    }

    @Test
    void fixedSizeNetworkRunsInTilesOfItsSize() {
        StyleDescriptor d = descriptor("tiny-fns-fixed32.onnx", "fast-neural-style");
        try (StyleTransfer transfer = StyleTransfer.open(d, SessionSettings.DEFAULT)) {
            assertArrayEquals(new int[] {32, 32}, transfer.fixedSize());
            TileSpec spec = transfer.tiling(61, 47, StyleOptions.DEFAULT);
            assertEquals(32, spec.tileWidth());
            assertTrue(spec.fixedSize());
            assertMatches("ref-fns-61x47.f32",
                    transfer.apply(StyleTestData.png("input-61x47.png"), StyleOptions.DEFAULT,
                            ProgressListener.NONE, CancellationToken.NONE));
            // Smaller than the one size the network takes: reflected up to 32×32, cropped back.
            PlanarImage small = PlanarImage.zeros(3, 20, 9);
            PlanarImage out = transfer.apply(small, StyleOptions.DEFAULT, ProgressListener.NONE,
                    CancellationToken.NONE);
            assertEquals(20, out.width());
            assertEquals(9, out.height());
        }
    }

    @Test
    void tiledEqualsWholeInInteriorWhenReceptiveFieldNearOverlap() {
        // tiny-seam.onnx: zero-padded 3×3 convolutions dilated 1, 2, 3, 3, 2, 1, receptive-field radius 12.
        StyleDescriptor d = descriptor("tiny-seam.onnx", "cyclegan");
        PlanarImage input = StyleTestData.png("input-101x77.png");
        PlanarImage whole = style(d, input, StyleOptions.DEFAULT);
        assertMatches("ref-seam-101x77.f32", whole);
        // Overlap 48 with its middle 12 feathered discards 18 pixels per inner edge, more than the radius.
        PlanarImage exact = style(d, input, new StyleOptions(1.0, 64, 48));
        double exactError = maxDifference(whole, exact, 0);
        assertTrue(exactError < 1e-5, "tiled with margin ≥ radius differs by " + exactError);
        // 48-pixel tiles sharing 12 (about 16 once spread evenly over 101×77) discard about 6 pixels, so outputs 7 to
        // 12 pixels from a tile edge see the tile's artificial border. The difference must show (the test can see
        // seams) yet stay small thanks to the feathering.
        PlanarImage near = style(d, input, new StyleOptions(1.0, 48, 12));
        double interior = maxDifference(whole, near, 12);
        System.out.println("seam test: tiled against whole " + exactError * 255 + "/255 with a margin of 18,"
                + " " + interior * 255 + "/255 with about 6");
        assertTrue(interior > 2e-4, "the negative control shows no effect: " + interior);
        assertTrue(interior < 3.0 / 255, "seam of " + interior * 255 + "/255 in the interior");
    }

    private static double maxDifference(PlanarImage a, PlanarImage b, int border) {
        double worst = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = border; y < a.height() - border; y++) {
                for (int x = border; x < a.width() - border; x++) {
                    worst = Math.max(worst, Math.abs(a.get(c, x, y) - b.get(c, x, y)));
                }
            }
        }
        return worst;
    }

    @Test
    void networkThatTakesAnySizeIsNotPadded() {
        try (StyleTransfer t = StyleTransfer.open(descriptor("tiny-animegan.onnx", "animegan"),
                SessionSettings.DEFAULT)) {
            assertFalse(t.padsToMultiple());
            assertNull(t.fixedSize());
        }
        try (StyleTransfer t = StyleTransfer.open(descriptor("tiny-cyclegan.onnx", "cyclegan"),
                SessionSettings.DEFAULT)) {
            assertTrue(t.padsToMultiple(), "the cyclegan miniature halves and doubles, so needs even sizes");
            assertEquals(4, t.tiling(61, 47, StyleOptions.DEFAULT).sizeMultiple());
        }
        try (StyleTransfer t = StyleTransfer.open(descriptor("tiny-transformernet.onnx", "fast-neural-style"),
                SessionSettings.DEFAULT)) {
            assertTrue(t.padsToMultiple(), "TransformerNet's Resize upsampling returns 12×12 for 9×9");
        }
    }

    @Test
    void zeroStrengthReturnsTheOriginalAndHalfBlends() {
        PlanarImage input = StyleTestData.png("input-61x47.png");
        StyleDescriptor d = descriptor("tiny-fns.onnx", "fast-neural-style");
        PlanarImage none = style(d, input, new StyleOptions(0, 0, -1));
        PlanarImage full = style(d, input, StyleOptions.DEFAULT);
        PlanarImage half = style(d, input, new StyleOptions(0.5, 0, -1));
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < input.plane(c).length; i++) {
                assertEquals(input.plane(c)[i], none.plane(c)[i], 1e-6);
                assertEquals(0.5 * input.plane(c)[i] + 0.5 * full.plane(c)[i], half.plane(c)[i], 1e-5);
            }
        }
    }

    @Test
    void greySourceIsStyledAsEqualChannels() {
        PlanarImage rgb = StyleTestData.png("input-61x47.png");
        PlanarImage grey = new PlanarImage(61, 47, new float[][] {rgb.plane(1)});
        PlanarImage asRgb = new PlanarImage(61, 47, new float[][] {rgb.plane(1), rgb.plane(1), rgb.plane(1)});
        StyleDescriptor d = descriptor("tiny-animegan.onnx", "animegan");
        PlanarImage a = style(d, grey, new StyleOptions(0.7, 0, -1));
        PlanarImage b = style(d, asRgb, new StyleOptions(0.7, 0, -1));
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(b.plane(c), a.plane(c), 1e-6f);
        }
    }

    @Test
    void progressPerTileAndCancelBetweenTiles() {
        StyleDescriptor d = descriptor("tiny-animegan.onnx", "animegan");
        PlanarImage input = StyleTestData.png("input-101x77.png");
        AtomicInteger reports = new AtomicInteger();
        CancellationToken cancel = new CancellationToken();
        try (StyleTransfer t = StyleTransfer.open(d, SessionSettings.DEFAULT)) {
            t.apply(input, new StyleOptions(1, 32, 8), (done, total, msg) -> reports.incrementAndGet(),
                    CancellationToken.NONE);
            assertTrue(reports.get() >= 12, "one report per tile, got " + reports.get());
            assertThrows(CancelledException.class, () -> t.apply(input, new StyleOptions(1, 32, 8),
                    (done, total, msg) -> cancel.cancel(), cancel));
        }
    }

    @Test
    void declaredShapeDecidesTheLayoutOfAFamilyDescriptor() {
        // [1, 3, 32, 32] and [N, 3, H, W]: PyTorch exports of AnimeGAN generators run with the animegan format.
        try (StyleTransfer t = StyleTransfer.open(descriptor("tiny-fns-fixed32.onnx", "animegan"),
                SessionSettings.DEFAULT)) {
            assertEquals(TensorLayout.NCHW, t.layout());
        }
        try (StyleTransfer t = StyleTransfer.open(descriptor("tiny-fns.onnx", "animegan"),
                SessionSettings.DEFAULT)) {
            assertEquals(TensorLayout.NCHW, t.layout());
        }
        // [N, H, W, 3] under an NCHW family becomes NHWC, and then matches the reference of its own layout.
        StyleDescriptor nchwFamily = new StyleDescriptor("test", StyleTestData.resource("tiny-animegan.onnx"), null,
                null, TensorLayout.NCHW, ValueRange.MINUS_ONE_TO_ONE, ColorOrder.RGB, 1, 1024, 96);
        assertMatches("ref-animegan-61x47.f32",
                style(nchwFamily, StyleTestData.png("input-61x47.png"), StyleOptions.DEFAULT));
    }

    @Test
    void brokenModelFileIsNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path onnx = dir.resolve("broken.onnx");
        java.nio.file.Files.writeString(onnx, "not a network");
        GenAiException e = assertThrows(GenAiException.class,
                () -> style(StyleFormat.ANIMEGAN.descriptorFor(onnx), StyleTestData.png("input-61x47.png"),
                        StyleOptions.DEFAULT));
        assertTrue(e.getMessage().contains("broken.onnx"), e.getMessage());
    }
}
