package org.ijgenai.imagej;

import java.nio.file.Path;
import java.nio.file.Paths;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.model.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.segment.SegmentationModel;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.process.ImageProcessor;

/**
 * What the segmentation commands share: the open model (kept between previews), ImageJ progress and Esc, and the
 * preview overlay.
 */
final class SegmentationCommandSupport implements AutoCloseable {

    private SegmentationModel model;
    private Path modelPath;
    private Overlay savedOverlay;
    private boolean overlaySaved;

    /** The model in {@code folder}, reopened only when the folder changes. */
    SegmentationModel model(String folder) {
        Path path = Paths.get(folder.trim());
        if (model == null || !path.equals(modelPath)) {
            close();
            model = SegmentationModel.open(path, SessionSettings.DEFAULT);
            modelPath = path;
        }
        return model;
    }

    /** The folder proposed when nothing was used before: IS-Net small under the installation's models folder. */
    static String defaultModelFolder() {
        String home = System.getProperty("ijgenai.home");
        String base = home != null ? home : IJ.getDirectory("imagej");
        return base == null ? "models/isnet-small" : Paths.get(base, "models", "isnet-small").toString();
    }

    /** Reports to ImageJ's progress bar and status line. */
    static ProgressListener progress() {
        return (done, total, message) -> {
            IJ.showProgress(done, total);
            IJ.showStatus(message);
        };
    }

    /** Cancelled by Esc. */
    static CancellationToken escape() {
        return new CancellationToken(IJ::escapePressed);
    }

    /** Turns running out of memory into advice; other failures pass unchanged. */
    static Throwable explain(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return new GenAiException("Out of memory. Use tiling with a smaller tile size (tile=512), process fewer "
                    + "slices, or give ImageJ more memory (Edit > Options > Memory & Threads).", e);
        }
        return e;
    }

    /** Shows {@code picture} over the image as a preview, remembering the image's own overlay once. */
    void showPreview(ImagePlus imp, ImageProcessor picture, double opacity, boolean zeroTransparent) {
        if (!overlaySaved) {
            savedOverlay = imp.getOverlay();
            overlaySaved = true;
        }
        ImageRoi roi = new ImageRoi(0, 0, picture);
        roi.setOpacity(opacity);
        roi.setZeroTransparent(zeroTransparent);
        imp.setOverlay(new Overlay(roi));
    }

    /** Puts the image's own overlay back. */
    void removePreview(ImagePlus imp) {
        if (overlaySaved) {
            imp.setOverlay(savedOverlay);
            overlaySaved = false;
        }
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
            model = null;
            modelPath = null;
        }
    }
}
