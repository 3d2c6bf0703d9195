package org.ijgenai.core.style;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.model.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class StyleTransferTest {

    /** ONNX Runtime against torch on the same weights: float32 noise only, far below one 8-bit level. */
    private static final double FLOAT_TOLERANCE = 0.02;

    static StyleDescriptor descriptor(String model, String format) {
        if (format.equals("descriptor")) {
            return StyleDescriptor.resolve(StyleTestData.resource(model), null);
        }
        return StyleDescriptor.resolve(StyleTestData.resource(model), StyleFormat.parse(format));
    }

    static RgbImage style(StyleDescriptor descriptor, RgbImage image, StyleOptions options) {
        try (StyleTransfer transfer = StyleTransfer.open(descriptor, SessionSettings.DEFAULT)) {
            return transfer.apply(image, options, ProgressListener.NONE, CancellationToken.NONE);
        }
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
    })
    void wholeImageMatchesTorchReference(String model, String format, String size, String ref) {
        RgbImage input = StyleTestData.png("input-" + size + ".png");
        RgbImage out = style(descriptor(model, format), input, StyleOptions.DEFAULT);
        assertEquals(input.width(), out.width());
        assertEquals(input.height(), out.height());
        float[] expected = StyleTestData.reference("ref-" + ref + "-" + size + ".f32");
        double error = StyleTestData.maxFloatError(out, expected);
        assertTrue(error < FLOAT_TOLERANCE, "float error " + error);
        assertTrue(StyleTestData.max8BitError(out, expected) <= 1.0);
    }

    @Test
    void networkThatTakesAnySizeIsNotPadded() {
        try (StyleTransfer t = StyleTransfer.open(descriptor("tiny-animegan.onnx", "animegan"),
                SessionSettings.DEFAULT)) {
            assertFalse(t.padsToMultiple());
        }
        try (StyleTransfer t = StyleTransfer.open(descriptor("tiny-cyclegan.onnx", "cyclegan"),
                SessionSettings.DEFAULT)) {
            assertTrue(t.padsToMultiple(), "the cyclegan miniature halves and doubles, so needs even sizes");
        }
    }

    @Test
    void zeroStrengthReturnsTheOriginalAndHalfBlends() {
        RgbImage input = StyleTestData.png("input-61x47.png");
        StyleDescriptor d = descriptor("tiny-fns.onnx", "fast-neural-style");
        RgbImage none = style(d, input, new StyleOptions(0, 0, -1));
        RgbImage full = style(d, input, StyleOptions.DEFAULT);
        RgbImage half = style(d, input, new StyleOptions(0.5, 0, -1));
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < input.plane(c).length; i++) {
                assertEquals(input.plane(c)[i], none.plane(c)[i], 1e-6);
                assertEquals(0.5 * input.plane(c)[i] + 0.5 * full.plane(c)[i], half.plane(c)[i], 1e-5);
            }
        }
    }

    @Test
    void wrongLayoutIsReportedWithTheModel() {
        GenAiException e = assertThrows(GenAiException.class,
                () -> style(descriptor("tiny-fns.onnx", "animegan"), StyleTestData.png("input-61x47.png"),
                        StyleOptions.DEFAULT));
        assertTrue(e.getMessage().contains("tiny-fns.onnx"), e.getMessage());
    }

    @Test
    void reflectMirrorsWithoutRepeatingTheEdge() {
        int[] expected = {2, 1, 0, 1, 2, 3, 2, 1, 0, 1};
        for (int i = -2; i < 8; i++) {
            assertEquals(expected[i + 2], StyleTransfer.reflect(i, 4), "index " + i);
        }
        assertEquals(0, StyleTransfer.reflect(5, 1));
    }
}
