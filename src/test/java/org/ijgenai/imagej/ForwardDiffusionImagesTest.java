package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.noise.ForwardDiffusionRequest;
import org.ijgenai.core.noise.TimestepSelection;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.random.NumpyRandomState;
import org.ijgenai.core.noise.BetaSchedule;
import org.ijgenai.core.noise.NoiseSchedule;
import org.junit.jupiter.api.Test;

class ForwardDiffusionImagesTest {

    private static ForwardDiffusionRequest request(int... timesteps) {
        return new ForwardDiffusionRequest(BetaSchedule.LINEAR, 0.0001, 0.02, 1000,
                TimestepSelection.explicit(timesteps), 42);
    }

    private static ImagePlus diffuse(ImagePlus image, ForwardDiffusionRequest request) {
        return ForwardDiffusionImages.diffuse(image, image.getProcessor(), request, CancellationToken.NONE,
                ProgressListener.NONE);
    }

    @Test
    void eightBitStaysEightBitRoundedAndClippedToFullRange() {
        ByteProcessor ip = new ByteProcessor(32, 16);
        for (int i = 0; i < 32 * 16; i++) {
            ip.set(i, (i * 7) % 256);
        }
        ImagePlus image = new ImagePlus("ramp", ip);
        byte[] before = ((byte[]) ip.getPixels()).clone();
        ImagePlus result = diffuse(image, request(0, 500, 999));
        assertEquals(8, result.getBitDepth());
        assertEquals(3, result.getStackSize());
        assertArrayEquals(before, (byte[]) ip.getPixels(), "the source must not change");

        NoiseSchedule schedule = request(0).noiseSchedule();
        float[] eps = new NumpyRandomState(42).randn(32 * 16);
        ImageProcessor last = result.getStack().getProcessor(3);
        double a = schedule.alphaCumprod(999);
        for (int i = 0; i < 32 * 16; i++) {
            double x0 = 2 * ip.get(i) / 255.0 - 1;
            double xt = Math.sqrt(a) * x0 + Math.sqrt(1 - a) * eps[i];
            long expected = Math.max(0, Math.min(255, Math.round((xt + 1) / 2 * 255)));
            assertEquals(expected, last.get(i), 1.0, "pixel " + i);
        }
        assertTrue(result.getStack().getSliceLabel(2).startsWith("t=500 alpha_bar="));
    }

    @Test
    void rgbIsNoisedPerChannelWithChannelMajorNoise() {
        ColorProcessor ip = new ColorProcessor(8, 4);
        for (int i = 0; i < 32; i++) {
            ip.set(i, (200 << 16) | (100 << 8) | 50);
        }
        ImagePlus result = diffuse(new ImagePlus("rgb", ip), request(600));
        assertEquals(24, result.getBitDepth());
        float[] eps = new NumpyRandomState(42).randn(3 * 32);
        double a = request(0).noiseSchedule().alphaCumprod(600);
        int[] rgb = new int[3];
        int[] source = {200, 100, 50};
        ColorProcessor out = (ColorProcessor) result.getProcessor();
        for (int i = 0; i < 32; i++) {
            out.getPixel(i % 8, i / 8, rgb);
            for (int c = 0; c < 3; c++) {
                double x0 = 2 * source[c] / 255.0 - 1;
                double xt = Math.sqrt(a) * x0 + Math.sqrt(1 - a) * eps[c * 32 + i];
                long expected = Math.max(0, Math.min(255, Math.round((xt + 1) / 2 * 255)));
                assertEquals(expected, rgb[c], 1.0, "channel " + c + " pixel " + i);
            }
        }
    }

    @Test
    void sixteenBitUsesTheDisplayRangeAndBecomesUnclippedFloat() {
        ShortProcessor ip = new ShortProcessor(64, 64);
        ip.setValue(3000);
        ip.fill();
        ip.setMinAndMax(1000, 5000);
        ImagePlus image = new ImagePlus("grey16", ip);
        ImagePlus result = diffuse(image, request(999));
        assertEquals(32, result.getBitDepth());
        assertEquals(1000, result.getDisplayRangeMin(), 1e-9);
        assertEquals(5000, result.getDisplayRangeMax(), 1e-9);
        float[] pixels = (float[]) result.getProcessor().getPixels();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float p : pixels) {
            min = Math.min(min, p);
            max = Math.max(max, p);
        }
        assertTrue(min < 1000 && max > 5000, "no clipping: values reach beyond the display range, were [" + min
                + ", " + max + "]");
        float[] eps = new NumpyRandomState(42).randn(64 * 64);
        double a = request(0).noiseSchedule().alphaCumprod(999);
        double x0 = 2 * (3000 - 1000) / 4000.0 - 1;
        assertEquals((Math.sqrt(a) * x0 + Math.sqrt(1 - a) * eps[17] + 1) / 2 * 4000 + 1000, pixels[17], 1e-2);
    }

    @Test
    void currentSliceOfAStackIsTheInput() {
        ImageStack stack = new ImageStack(16, 16);
        FloatProcessor first = new FloatProcessor(16, 16);
        FloatProcessor second = new FloatProcessor(16, 16);
        second.setValue(1);
        second.fill();
        stack.addSlice(first);
        stack.addSlice(second);
        ImagePlus image = new ImagePlus("stack", stack);
        image.setSlice(2);
        image.setDisplayRange(0, 1);
        ImagePlus result = ForwardDiffusionImages.diffuse(image, image.getStack().getProcessor(2), request(0),
                CancellationToken.NONE, ProgressListener.NONE);
        // At t=0, x_t ≈ x0 = 1 (plus 1% noise).
        assertEquals(1.0, result.getProcessor().getStatistics().mean, 0.01);
    }

    @Test
    void emptyDisplayRangeIsAClearError() {
        FloatProcessor ip = new FloatProcessor(8, 8);
        ip.setMinAndMax(0, 0);
        GenAiException error = assertThrows(GenAiException.class,
                () -> diffuse(new ImagePlus("flat", ip), request(10)));
        assertTrue(error.getMessage().contains("display range"), error.getMessage());
    }
}
