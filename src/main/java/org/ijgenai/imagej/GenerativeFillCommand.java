package org.ijgenai.imagej;

import java.util.List;

import org.ijgenai.core.diffusion.InpaintJob;
import org.ijgenai.core.image.RgbImage;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.Undo;
import ij.gui.Roi;
import ij.plugin.PlugIn;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/**
 * Plugins › Generative AI › Generative Fill...: repaints the current selection (any area ROI, composite ones
 * included) of the current image from a prompt, into a new window (a stack when there are several variations,
 * each slice labelled with its seed), or in place with Edit › Undo restoring the image.
 */
public final class GenerativeFillCommand extends GenAiCommand implements PlugIn {

    private static final String TITLE = "Generative Fill";

    @Override
    public void run(String arg) {
        ImagePlus source = IJ.getImage();
        if (source == null) {
            return;
        }
        float[] selection;
        try {
            selection = selectionMask(source);
        } catch (IllegalArgumentException e) {
            reportError(TITLE, e);
            return;
        }
        InpaintDialog.Values values;
        try {
            values = InpaintDialog.ask(TITLE, source, selection, false);
        } catch (IllegalArgumentException e) {
            reportError(TITLE, e);
            return;
        }
        if (values == null) {
            return;
        }
        if (values.inPlace() && source.getBitDepth() != 24) {
            reportError(TITLE, new IllegalArgumentException("in place needs an RGB image; " + source.getTitle()
                    + " is " + source.getBitDepth() + "-bit (Image › Type › RGB Color, or turn in place off)"));
            return;
        }
        InpaintJob.Result result = InpaintRunner.run(TITLE, values, rgb(source), selection, source.getTitle());
        if (result == null) {
            return;
        }
        if (values.inPlace()) {
            Undo.setup(Undo.FILTER, source);
            RgbImage first = result.images().get(0);
            source.getProcessor().setPixels(packed(first));
            source.updateAndDraw();
            if (result.images().size() > 1) {
                IJ.log(TITLE + ": " + source.getTitle() + " took variation 1; the other variations open in a window.");
                show(result.images().subList(1, result.images().size()), source.getTitle(), result);
            }
        } else {
            show(result.images(), source.getTitle(), result);
        }
    }

    private static void show(List<RgbImage> images, String title, InpaintJob.Result result) {
        InpaintRunner.show(images, title + "-filled", result);
    }

    /**
     * The current selection as a 0/1 mask at the image's size. Refuses no selection, a line or point selection,
     * and a selection that lies outside the image.
     */
    static float[] selectionMask(ImagePlus image) {
        Roi roi = image.getRoi();
        if (roi == null) {
            throw new IllegalArgumentException("Generative Fill repaints a selection: select the region to fill"
                    + " first (any area selection: rectangle, oval, polygon, freehand, wand, composite, ROI Manager)");
        }
        if (!roi.isArea()) {
            throw new IllegalArgumentException("Generative Fill needs an area selection; " + roi.getTypeAsString()
                    + " selections have no inside");
        }
        ByteProcessor mask = new ByteProcessor(image.getWidth(), image.getHeight());
        mask.setColor(255);
        mask.fill(roi);
        byte[] pixels = (byte[]) mask.getPixels();
        float[] out = new float[pixels.length];
        boolean any = false;
        for (int i = 0; i < pixels.length; i++) {
            out[i] = pixels[i] != 0 ? 1f : 0f;
            any |= pixels[i] != 0;
        }
        if (!any) {
            throw new IllegalArgumentException("the selection lies outside " + image.getTitle() + " ("
                    + image.getWidth() + "×" + image.getHeight() + "): nothing to fill");
        }
        return out;
    }

    /** The current slice as 8-bit RGB (16/32-bit through the display range). */
    static RgbImage rgb(ImagePlus image) {
        ImageProcessor ip = image.getProcessor();
        int[] pixels = (int[]) ip.convertToRGB().getPixels();
        byte[] rgb = new byte[pixels.length * 3];
        for (int i = 0; i < pixels.length; i++) {
            rgb[i * 3] = (byte) (pixels[i] >> 16);
            rgb[i * 3 + 1] = (byte) (pixels[i] >> 8);
            rgb[i * 3 + 2] = (byte) pixels[i];
        }
        return new RgbImage(ip.getWidth(), ip.getHeight(), rgb);
    }

    /** An RGB image as ImageJ's packed pixels. */
    static int[] packed(RgbImage image) {
        return image.packed();
    }

    /** The images as an RGB stack. */
    static ImagePlus stack(List<RgbImage> images, String title, List<String> labels) {
        RgbImage first = images.get(0);
        ImageStack stack = new ImageStack(first.width(), first.height());
        for (int i = 0; i < images.size(); i++) {
            stack.addSlice(labels.get(i), new ColorProcessor(first.width(), first.height(), packed(images.get(i))));
        }
        return new ImagePlus(title, stack);
    }
}
