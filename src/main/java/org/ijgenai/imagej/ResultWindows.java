package org.ijgenai.imagej;

import ij.ImagePlus;
import ij.gui.ImageCanvas;
import ij.gui.ImageWindow;
import ij.plugin.Zoom;

/**
 * Shows the images and stacks that commands produce: a result smaller than {@value #MIN_SIDE} pixels (shapes-sd
 * draws 64×64) opens zoomed in to one of ImageJ's own zoom levels, so that it can be seen at all.
 */
final class ResultWindows {

    /** The size a result's longer side is zoomed up to, at least. */
    static final int MIN_SIDE = 256;

    private ResultWindows() {}

    /**
     * The zoom a result of this size opens at: 1 when its longer side has {@value #MIN_SIDE} pixels or more, else
     * the smallest of ImageJ's zoom levels (1.5, 2, 3, 4, 6, 8, …, 32) that makes the longer side at least that
     * long. The longer side decides, so that a wide strip is not blown up past the screen.
     */
    static double magnification(int width, int height) {
        int side = Math.max(width, height);
        double zoom = 1.0;
        while (side > 0 && side * zoom < MIN_SIDE) {
            double higher = ImageCanvas.getHigherZoomLevel(zoom);
            if (higher <= zoom) {
                break;
            }
            zoom = higher;
        }
        return zoom;
    }

    /**
     * Shows the image (nothing in batch mode or headless, as {@link ImagePlus#show()}) and zooms a small one to
     * {@link #magnification}.
     */
    static void show(ImagePlus imp) {
        imp.show();
        ImageWindow window = imp.getWindow();
        double zoom = magnification(imp.getWidth(), imp.getHeight());
        if (window != null && zoom > 1.0) {
            Zoom.set(imp, zoom);
        }
    }
}
