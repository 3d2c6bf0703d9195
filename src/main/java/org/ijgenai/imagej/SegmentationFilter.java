package org.ijgenai.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.DialogListener;
import ij.plugin.filter.ExtendedPlugInFilter;
import ij.process.ImageProcessor;

/**
 * The filter life cycle both segmentation commands share: while their dialog is open a run is a preview of the
 * current slice, afterwards it is the real run over the chosen slices; failures are reported once and the model
 * is closed at the end.
 */
abstract class SegmentationFilter extends GenAiCommand implements ExtendedPlugInFilter, DialogListener {

    /** The images the segmentation commands accept; they never change the input. */
    static final int FLAGS = DOES_8G | DOES_16 | DOES_32 | DOES_RGB | NO_CHANGES | NO_UNDO;

    /** The open model, the preview overlay and the shared dialog fields. */
    final SegmentationCommandSupport support = new SegmentationCommandSupport();
    /** The image the command runs on. */
    ImagePlus imp;
    private final String title;

    SegmentationFilter(String title) {
        this.title = title;
    }

    @Override
    public final int setup(String arg, ImagePlus image) {
        this.imp = image;
        return FLAGS;
    }

    @Override
    public final void setNPasses(int nPasses) {
        // Slices are looped inside run(), which reports its own progress.
    }

    @Override
    public final void run(ImageProcessor ip) {
        if (support.previewing()) {
            try {
                preview();
                IJ.showProgress(1, 1);
            } catch (RuntimeException | OutOfMemoryError e) {
                support.removePreview(imp);
                reportError(title, SegmentationCommandSupport.explain(e));
            }
            return;
        }
        try {
            segment();
            IJ.showProgress(1, 1);
            IJ.showStatus(title + ": done");
        } catch (RuntimeException | OutOfMemoryError e) {
            reportError(title, SegmentationCommandSupport.explain(e));
        } finally {
            support.close();
        }
    }

    /** Segments the chosen slices and shows the results. */
    abstract void segment();

    /** Segments the current slice and shows the result over the image. */
    abstract void preview();
}
