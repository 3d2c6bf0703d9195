package org.ijgenai.imagej;

import java.awt.Rectangle;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.RgbImage;

/**
 * Converts ImageJ images of every type into the 8-bit RGB that CLIP sees, <em>as they are displayed</em>:
 * RGB as is; 8-, 16- and 32-bit grey through their display range and LUT (a grey LUT gives grey, a "Green" LUT
 * gives green); composite images as their on-screen colour overlay of the active channels (or the current
 * channel in colour/greyscale mode). The input image is never changed.
 */
public final class ClipImages {

    private ClipImages() {}

    /**
     * The displayed RGB of one stack position of {@code imp} (1-based, as ImageJ counts), cropped to {@code roi}.
     *
     * @throws GenAiException when the position is 32-bit with no finite pixel (all NaN or infinite): it would show
     *     as a uniform picture that CLIP labels and indexes as if it were one
     */
    public static RgbImage slice(ImagePlus imp, int stackIndex, Rectangle roi) {
        ColorProcessor rgb;
        if (imp.isComposite()) {
            int[] pos = imp.convertIndexToPosition(stackIndex);
            rgb = composite((CompositeImage) imp, pos[1], pos[2]);
        } else {
            ImageProcessor ip = imp.getStack().getProcessor(stackIndex).duplicate();
            requireFinite(ip, imp, stackIndex);
            ImageProcessor current = imp.getProcessor();
            // Stack slices come without the display settings; the window's processor holds them.
            ip.setColorModel(current.getColorModel());
            if (ip.getBitDepth() != 24) {
                ip.setMinAndMax(current.getMin(), current.getMax());
            }
            rgb = ip.getBitDepth() == 24 ? (ColorProcessor) ip : (ColorProcessor) ip.convertToRGB();
        }
        if (roi != null) {
            rgb.setRoi(roi);
            rgb = (ColorProcessor) rgb.crop();
        }
        return toRgb(rgb);
    }

    /** The displayed RGB of the current slice, cropped to the selection's bounds when there is one. */
    public static RgbImage current(ImagePlus imp) {
        Roi roi = imp.getRoi();
        Rectangle bounds = roi != null && roi.isArea() ? roi.getBounds() : null;
        int index = imp.isComposite() ? imp.getStackIndex(1, imp.getSlice(), imp.getFrame()) : imp.getCurrentSlice();
        return slice(imp, index, bounds);
    }

    /** The stack positions to classify or index: every slice, or every (z, t) position of a composite image. */
    public static int[] positions(ImagePlus imp) {
        if (!imp.isComposite()) {
            int[] all = new int[imp.getStackSize()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i + 1;
            }
            return all;
        }
        int[] out = new int[imp.getNSlices() * imp.getNFrames()];
        int n = 0;
        for (int t = 1; t <= imp.getNFrames(); t++) {
            for (int z = 1; z <= imp.getNSlices(); z++) {
                out[n++] = imp.getStackIndex(1, z, t);
            }
        }
        return out;
    }

    private static void requireFinite(ImageProcessor ip, ImagePlus imp, int stackIndex) {
        if (!(ip instanceof FloatProcessor)) {
            return;
        }
        for (float v : (float[]) ip.getPixels()) {
            if (Float.isFinite(v)) {
                return;
            }
        }
        throw new GenAiException(imp.getTitle() + (imp.getStackSize() > 1 ? " slice " + stackIndex : "")
                + " has no finite pixel value (every pixel is NaN or infinite), so CLIP would see a blank picture;"
                + " it is not labelled, searched or indexed");
    }

    private static ColorProcessor composite(CompositeImage imp, int z, int t) {
        int w = imp.getWidth();
        int h = imp.getHeight();
        int channels = imp.getNChannels();
        boolean[] active = imp.getActiveChannels();
        int mode = imp.getMode();
        int[] sum = new int[w * h * 3];
        ImageStack stack = imp.getStack();
        GenAiException blank = null;
        int shownChannels = 0;
        for (int c = 1; c <= channels; c++) {
            boolean shown = mode == CompositeImage.COMPOSITE ? active[c - 1] : c == imp.getChannel();
            if (!shown) {
                continue;
            }
            shownChannels++;
            ImageProcessor ip = stack.getProcessor(imp.getStackIndex(c, z, t)).duplicate();
            try {
                requireFinite(ip, imp, imp.getStackIndex(c, z, t));
            } catch (GenAiException e) {
                blank = blank == null ? e : blank;
                shownChannels--;
            }
            LUT lut = imp.getChannelLut(c);
            ip.setColorModel(mode == CompositeImage.GRAYSCALE ? LUT.createLutFromColor(java.awt.Color.white) : lut);
            ip.setMinAndMax(lut.min, lut.max);
            int[] px = (int[]) ip.convertToRGB().getPixels();
            for (int i = 0; i < px.length; i++) {
                sum[i * 3] += (px[i] >> 16) & 0xFF;
                sum[i * 3 + 1] += (px[i] >> 8) & 0xFF;
                sum[i * 3 + 2] += px[i] & 0xFF;
            }
        }
        if (blank != null && shownChannels == 0) {
            // Every channel shown is NaN or infinite: the overlay is black, not a picture.
            throw blank;
        }
        int[] out = new int[w * h];
        for (int i = 0; i < out.length; i++) {
            // Additive overlay clipped at white, as ImageJ draws composite mode.
            int r = Math.min(255, sum[i * 3]);
            int g = Math.min(255, sum[i * 3 + 1]);
            int b = Math.min(255, sum[i * 3 + 2]);
            out[i] = (r << 16) | (g << 8) | b;
        }
        return new ColorProcessor(w, h, out);
    }

    private static RgbImage toRgb(ColorProcessor cp) {
        int w = cp.getWidth();
        int h = cp.getHeight();
        int[] px = (int[]) cp.getPixels();
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < px.length; i++) {
            rgb[i * 3] = (byte) (px[i] >> 16);
            rgb[i * 3 + 1] = (byte) (px[i] >> 8);
            rgb[i * 3 + 2] = (byte) px[i];
        }
        return new RgbImage(w, h, rgb);
    }

    /** An ImageJ RGB processor holding an {@link RgbImage}. */
    public static ColorProcessor toProcessor(RgbImage image) {
        int[] px = new int[image.width() * image.height()];
        byte[] rgb = image.rgb();
        for (int i = 0; i < px.length; i++) {
            px[i] = ((rgb[i * 3] & 0xFF) << 16) | ((rgb[i * 3 + 1] & 0xFF) << 8) | (rgb[i * 3 + 2] & 0xFF);
        }
        return new ColorProcessor(image.width(), image.height(), px);
    }
}
