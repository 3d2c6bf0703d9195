package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.Color;
import java.awt.Rectangle;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.LUT;
import ij.process.ShortProcessor;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.RgbImage;
import org.junit.jupiter.api.Test;

/** Every ImageJ image type reaches CLIP as the RGB it is displayed with. */
class ClipImagesTest {

    private static int[] rgbAt(RgbImage image, int x, int y) {
        return new int[] {image.sample(x, y, 0), image.sample(x, y, 1), image.sample(x, y, 2)};
    }

    @Test
    void eightBitGreyKeepsItsValuesWithTheDefaultRange() {
        ByteProcessor bp = new ByteProcessor(4, 3);
        bp.set(2, 1, 77);
        RgbImage rgb = ClipImages.current(new ImagePlus("grey", bp));
        assertArrayEquals(new int[] {77, 77, 77}, rgbAt(rgb, 2, 1));
        assertArrayEquals(new int[] {0, 0, 0}, rgbAt(rgb, 0, 0));
    }

    @Test
    void eightBitGreyFollowsItsDisplayRange() {
        ByteProcessor bp = new ByteProcessor(4, 3);
        bp.set(1, 1, 150);
        bp.set(2, 1, 250);
        ImagePlus imp = new ImagePlus("grey", bp);
        imp.setDisplayRange(100, 200);
        RgbImage rgb = ClipImages.current(imp);
        assertEquals(127, rgb.sample(1, 1, 0), 1);
        assertEquals(255, rgb.sample(2, 1, 0));
    }

    @Test
    void sixteenAndThirtyTwoBitAreScaledByTheirDisplayRange() {
        ShortProcessor sp = new ShortProcessor(4, 3);
        sp.set(1, 1, 3000);
        sp.set(2, 1, 1000);
        ImagePlus shorts = new ImagePlus("16", sp);
        shorts.setDisplayRange(1000, 5000);
        RgbImage a = ClipImages.current(shorts);
        assertEquals(127, a.sample(1, 1, 1), 1);
        assertEquals(0, a.sample(2, 1, 1));

        FloatProcessor fp = new FloatProcessor(4, 3);
        fp.setf(1, 1, 0.5f);
        fp.setf(2, 1, -1f);
        fp.setf(3, 1, 1f);
        ImagePlus floats = new ImagePlus("32", fp);
        floats.setDisplayRange(0, 1);
        RgbImage b = ClipImages.current(floats);
        assertEquals(127, b.sample(1, 1, 2), 1);
        assertEquals(0, b.sample(2, 1, 2));
        assertEquals(255, b.sample(3, 1, 2));
    }

    @Test
    void aColourLutIsApplied() {
        ByteProcessor bp = new ByteProcessor(2, 2);
        bp.set(0, 0, 255);
        ImagePlus imp = new ImagePlus("green", bp);
        imp.getProcessor().setLut(LUT.createLutFromColor(Color.green));
        assertArrayEquals(new int[] {0, 255, 0}, rgbAt(ClipImages.current(imp), 0, 0));
    }

    @Test
    void rgbSlicesOfAStackAndSelectionsAreTakenAsIs() {
        ImageStack stack = new ImageStack(5, 4);
        for (int s = 0; s < 3; s++) {
            ColorProcessor cp = new ColorProcessor(5, 4);
            cp.set(3, 2, (10 * s << 16) | (20 << 8) | 30);
            stack.addSlice("s" + s, cp);
        }
        ImagePlus imp = new ImagePlus("rgb", stack);
        assertArrayEquals(new int[] {20, 20, 30}, rgbAt(ClipImages.slice(imp, 3, null), 3, 2));
        imp.setSlice(2);
        imp.setRoi(new Roi(2, 1, 3, 2));
        RgbImage cropped = ClipImages.current(imp);
        assertEquals(3, cropped.width());
        assertEquals(2, cropped.height());
        assertArrayEquals(new int[] {10, 20, 30}, rgbAt(cropped, 1, 1));
        assertEquals(3, ClipImages.positions(imp).length);
    }

    @Test
    void compositeImagesAreTheOverlayOfTheirActiveChannels() {
        ImageStack stack = new ImageStack(2, 2);
        ByteProcessor red = new ByteProcessor(2, 2);
        red.set(0, 0, 200);
        ByteProcessor green = new ByteProcessor(2, 2);
        green.set(0, 0, 100);
        green.set(1, 1, 255);
        stack.addSlice(red);
        stack.addSlice(green);
        ImagePlus imp = new ImagePlus("two channels", stack);
        imp.setDimensions(2, 1, 1);
        CompositeImage ci = new CompositeImage(imp, CompositeImage.COMPOSITE);
        ci.setChannelLut(LUT.createLutFromColor(Color.red), 1);
        ci.setChannelLut(LUT.createLutFromColor(Color.green), 2);
        for (int c = 1; c <= 2; c++) {
            // A fixed 0-255 range; CompositeImage would otherwise auto-stretch each channel.
            ci.getChannelLut(c).min = 0;
            ci.getChannelLut(c).max = 255;
        }
        RgbImage rgb = ClipImages.current(ci);
        assertArrayEquals(new int[] {200, 100, 0}, rgbAt(rgb, 0, 0));
        assertArrayEquals(new int[] {0, 255, 0}, rgbAt(rgb, 1, 1));
        assertEquals(1, ClipImages.positions(ci).length);
        assertEquals(new Rectangle(0, 0, 2, 2), new Rectangle(0, 0, rgb.width(), rgb.height()));
    }

    @Test
    void aThirtyTwoBitSliceWithoutAFinitePixelIsRefusedNotLabelledAsBlack() {
        FloatProcessor nan = new FloatProcessor(8, 8);
        nan.setValue(Double.NaN);
        nan.fill();
        FloatProcessor inf = new FloatProcessor(8, 8);
        inf.setValue(Double.POSITIVE_INFINITY);
        inf.fill();
        FloatProcessor fine = new FloatProcessor(8, 8);
        fine.setf(3, 3, Float.NaN);
        fine.setf(2, 2, 5f);
        ImageStack stack = new ImageStack(8, 8);
        stack.addSlice(fine);
        stack.addSlice(nan);
        stack.addSlice(inf);
        ImagePlus imp = new ImagePlus("measured", stack);
        assertEquals(8, ClipImages.slice(imp, 1, null).width(), "a slice with one finite pixel is a picture");
        for (int slice = 2; slice <= 3; slice++) {
            int s = slice;
            GenAiException e = assertThrows(GenAiException.class, () -> ClipImages.slice(imp, s, null));
            assertEquals("measured slice " + s + " has no finite pixel value (every pixel is NaN or infinite), so"
                    + " CLIP would see a blank picture; it is not labelled, searched or indexed", e.getMessage());
        }
        assertThrows(GenAiException.class, () -> ClipImages.current(new ImagePlus("nan", nan)));
    }
}
