package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.style.StyleOptions;
import org.ijgenai.core.style.StyleTestData;
import org.ijgenai.core.style.StyleTransfer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import ij.process.ShortProcessor;

/** The command's GUI-free work: slices, selections, grey and 16-bit conversion, untouched input. */
class StyleTransferCommandTest {

    private static StyleTransfer transfer;

    @BeforeAll
    static void open() {
        transfer = StyleTransfer.open(StyleTransferCommand.descriptor(
                StyleTestData.resource("tiny-animegan.onnx").toString(), "animegan"), SessionSettings.DEFAULT);
    }

    @AfterAll
    static void close() {
        transfer.close();
    }

    private static ImagePlus run(ImagePlus imp, boolean allSlices) {
        return StyleImages.stylize(imp, transfer, StyleOptions.DEFAULT, allSlices, ProgressListener.NONE,
                CancellationToken.NONE);
    }

    private static ImagePlus input() {
        return IJ.openImage(StyleTestData.resource("input-61x47.png").toString());
    }

    private static double maxError(ColorProcessor cp, float[] reference, int width, int ox, int oy) {
        double worst = 0;
        for (int y = 0; y < cp.getHeight(); y++) {
            for (int x = 0; x < cp.getWidth(); x++) {
                int rgb = cp.get(x, y);
                int i = 3 * ((y + oy) * width + x + ox);
                worst = Math.max(worst, Math.abs(((rgb >> 16) & 0xff) - reference[i]));
                worst = Math.max(worst, Math.abs(((rgb >> 8) & 0xff) - reference[i + 1]));
                worst = Math.max(worst, Math.abs((rgb & 0xff) - reference[i + 2]));
            }
        }
        return worst;
    }

    @Test
    void rgbImageMatchesReferenceAndIsNotChanged() {
        ImagePlus imp = input();
        int[] before = ((int[]) imp.getProcessor().getPixels()).clone();
        ImagePlus out = run(imp, false);
        assertEquals("input-61x47-styled", out.getTitle());
        assertTrue(maxError((ColorProcessor) out.getProcessor(), StyleTestData.reference("ref-animegan-61x47.f32"),
                61, 0, 0) <= 1.0);
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString((int[]) imp.getProcessor()
                .getPixels()));
    }

    @Test
    void everySliceOrOnlyTheCurrentOne() {
        ImagePlus single = input();
        ImageStack stack = new ImageStack(61, 47);
        ColorProcessor black = new ColorProcessor(61, 47);
        stack.addSlice("black", black);
        stack.addSlice("photo", single.getProcessor());
        stack.addSlice("black again", black.duplicate());
        ImagePlus imp = new ImagePlus("frames", stack);
        imp.setSlice(2);
        ImagePlus all = run(imp, true);
        assertEquals(3, all.getStackSize());
        assertEquals("photo", all.getStack().getSliceLabel(2));
        float[] reference = StyleTestData.reference("ref-animegan-61x47.f32");
        assertTrue(maxError((ColorProcessor) all.getStack().getProcessor(2), reference, 61, 0, 0) <= 1.0);
        assertEquals(all.getStack().getProcessor(1).get(30, 20), all.getStack().getProcessor(3).get(30, 20));
        ImagePlus current = run(imp, false);
        assertEquals(1, current.getStackSize());
        assertTrue(maxError((ColorProcessor) current.getProcessor(), reference, 61, 0, 0) <= 1.0);
    }

    @Test
    void rectangleSelectionIsStyledAsACrop() {
        ImagePlus imp = input();
        imp.setRoi(new Roi(10, 5, 30, 20));
        ImagePlus out = run(imp, false);
        assertEquals(30, out.getWidth());
        assertEquals(20, out.getHeight());
        ImagePlus cropped = input();
        cropped.setRoi(new Roi(10, 5, 30, 20));
        ImagePlus crop = cropped.crop();
        ImagePlus expected = run(crop, false);
        assertEquals(java.util.Arrays.toString((int[]) expected.getProcessor().getPixels()),
                java.util.Arrays.toString((int[]) out.getProcessor().getPixels()));
    }

    @Test
    void outsideAnOvalSelectionKeepsTheOriginal() {
        ImagePlus imp = input();
        imp.setRoi(new OvalRoi(0, 0, 61, 47));
        ImagePlus out = run(imp, false);
        assertEquals(imp.getProcessor().get(0, 0), out.getProcessor().get(0, 0), "corner outside the oval");
        float[] reference = StyleTestData.reference("ref-animegan-61x47.f32");
        int centre = ((ColorProcessor) out.getProcessor()).get(30, 23);
        assertEquals(reference[3 * (23 * 61 + 30)], (centre >> 16) & 0xff, 1.0);
    }

    @Test
    void sixteenBitGreyUsesItsDisplayRangeAsRgb() {
        ColorProcessor rgb = (ColorProcessor) input().getProcessor();
        byte[] green = new byte[61 * 47];
        rgb.getRGB(new byte[61 * 47], green, new byte[61 * 47]);
        // 16-bit values 1000 + 10·g with display range [1000, 3550]: intensities g / 255 exactly.
        short[] values = new short[green.length];
        ColorProcessor grey = new ColorProcessor(61, 47);
        for (int i = 0; i < values.length; i++) {
            int g = green[i] & 0xff;
            values[i] = (short) (1000 + 10 * g);
            grey.set(i, 0xff000000 | g << 16 | g << 8 | g);
        }
        ShortProcessor sp = new ShortProcessor(61, 47, values, null);
        ImagePlus imp16 = new ImagePlus("grey16", sp);
        imp16.setDisplayRange(1000, 3550);
        assertTrue(StyleImages.conversionNote(imp16).contains("16-bit"));
        ImagePlus out16 = run(imp16, false);
        ImagePlus outRgb = run(new ImagePlus("grey-as-rgb", grey), false);
        assertEquals(ImagePlus.COLOR_RGB, out16.getType());
        int[] a = (int[]) out16.getProcessor().getPixels();
        int[] b = (int[]) outRgb.getProcessor().getPixels();
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                assertEquals((b[i] >> shift) & 0xff, (a[i] >> shift) & 0xff, 1, "pixel " + i);
            }
        }
    }

    @Test
    void macroOptionsDriveTheCommandHeadless() throws Exception {
        ImagePlus imp = input();
        int[] before = ((int[]) imp.getProcessor().getPixels()).clone();
        String options = "model=[" + StyleTestData.resource("tiny-animegan.onnx") + "] format=animegan strength=0.5"
                + " tile=32";
        ImagePlus[] result = new ImagePlus[1];
        // Macro options belong to the thread a macro runs on; ImageJ names such threads "Run$_…".
        Thread macro = new Thread(() -> {
            ij.WindowManager.setTempCurrentImage(imp);
            ij.Macro.setOptions(Thread.currentThread(), options);
            new ij.plugin.filter.PlugInFilterRunner(new StyleTransferCommand(), "Style Transfer (GAN)...", "");
            result[0] = ij.WindowManager.getCurrentImage();
        }, "Run$_style-macro-test");
        macro.start();
        macro.join();
        assertTrue(result[0] != null && result[0] != imp, "a new image is the current one");
        assertEquals("input-61x47-styled", result[0].getTitle());
        assertTrue(java.util.Arrays.equals(before, (int[]) imp.getProcessor().getPixels()), "input unchanged");
        ImagePlus expected = StyleImages.stylize(input(), transfer, new StyleOptions(0.5, 32, -1), false,
                ProgressListener.NONE, CancellationToken.NONE);
        assertTrue(java.util.Arrays.equals((int[]) expected.getProcessor().getPixels(),
                (int[]) result[0].getProcessor().getPixels()));
    }

    @Test
    void colourLutAndFloatImagesAreStyledAsDisplayed() {
        // An 8-bit image with a colour LUT is styled as its RGB rendering.
        byte[] indices = new byte[61 * 47];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = (byte) (i * 7);
        }
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) i;
            g[i] = (byte) (255 - i);
            b[i] = (byte) (i * 3);
        }
        ij.process.ByteProcessor bp = new ij.process.ByteProcessor(61, 47, indices,
                new java.awt.image.IndexColorModel(8, 256, r, g, b));
        ImagePlus lut = new ImagePlus("lut", bp);
        assertTrue(StyleImages.conversionNote(lut).contains("LUT"));
        ImagePlus viaLut = run(lut, false);
        ImagePlus viaRgb = run(new ImagePlus("rgb", bp.convertToRGB()), false);
        assertTrue(java.util.Arrays.equals((int[]) viaRgb.getProcessor().getPixels(),
                (int[]) viaLut.getProcessor().getPixels()));
        // A 32-bit image maps its display range to 0..1 like an 8-bit grey image maps 0..255.
        float[] values = new float[61 * 47];
        byte[] grey = new byte[61 * 47];
        for (int i = 0; i < values.length; i++) {
            grey[i] = (byte) ((i * 13) % 256);
            values[i] = -2f + 4f * ((grey[i] & 0xff) / 255f);
        }
        ImagePlus float32 = new ImagePlus("f32", new ij.process.FloatProcessor(61, 47, values));
        float32.setDisplayRange(-2, 2);
        ImagePlus byte8 = new ImagePlus("g8", new ij.process.ByteProcessor(61, 47, grey));
        int[] a = (int[]) run(float32, false).getProcessor().getPixels();
        int[] e = (int[]) run(byte8, false).getProcessor().getPixels();
        for (int i = 0; i < a.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                assertEquals((e[i] >> shift) & 0xff, (a[i] >> shift) & 0xff, 1, "pixel " + i);
            }
        }
    }
}
