package org.ijgenai.imagej;

import org.ijgenai.core.diffusion.InitImage;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Roi;
import ij.plugin.PlugIn;
import ij.process.ImageProcessor;

/**
 * Plugins › Generative AI › Image to Image (Stable Diffusion)…: re-imagines the current image (or its selection's
 * bounds) guided by a prompt, into a new window; the input is never changed.
 */
public final class ImageToImageCommand extends GenAiCommand implements PlugIn {

    private static final String TITLE = "Image to Image (Stable Diffusion)";

    @Override
    public void run(String arg) {
        ImagePlus source = IJ.getImage();
        if (source == null) {
            return;
        }
        InitImage init;
        try {
            init = initImage(source);
        } catch (IllegalArgumentException e) {
            reportError(TITLE, e);
            return;
        }
        StableDiffusionDialog.Values values;
        try {
            values = StableDiffusionDialog.ask(TITLE, true, StableDiffusionDialog.HELP);
        } catch (IllegalArgumentException e) {
            reportError(TITLE, e);
            return;
        }
        if (values != null) {
            StableDiffusionRunner.run(TITLE, values, init);
        }
    }

    /**
     * The current slice, cropped to the selection's bounds, as 8-bit RGB: 16/32-bit images go through their display
     * range, as Image › Type › RGB Color does (logged, so the user knows).
     */
    static InitImage initImage(ImagePlus source) {
        ImageProcessor ip = source.getProcessor();
        Roi roi = source.getRoi();
        if (roi != null && roi.isArea()) {
            ip = ip.duplicate();
            ip.setRoi(roi.getBounds());
            ip = ip.crop();
        }
        if (ip.getWidth() < InitImage.SIZE_MULTIPLE || ip.getHeight() < InitImage.SIZE_MULTIPLE) {
            throw new IllegalArgumentException("The init image (or selection) must be at least 64×64 pixels, was "
                    + ip.getWidth() + "×" + ip.getHeight() + ".");
        }
        int depth = source.getBitDepth();
        if (depth == 16 || depth == 32) {
            IJ.log(TITLE + ": " + source.getTitle() + " is " + depth + "-bit; using its display range "
                    + ip.getMin() + "–" + ip.getMax() + " to make the 8-bit RGB init image.");
        }
        if (source.getStackSize() > 1) {
            IJ.log(TITLE + ": using slice " + source.getCurrentSlice() + " of " + source.getStackSize() + ".");
        }
        int[] pixels = (int[]) ip.convertToRGB().getPixels();
        return InitImage.fromPackedRgb(pixels, ip.getWidth(), ip.getHeight(), source.getTitle());
    }
}
