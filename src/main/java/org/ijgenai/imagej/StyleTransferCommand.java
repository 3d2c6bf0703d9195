package org.ijgenai.imagej;

import java.awt.AWTEvent;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.nio.file.Path;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.catalog.ModelLocator;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.CancelledException;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.style.StyleDescriptor;
import org.ijgenai.core.style.StyleFormat;
import org.ijgenai.core.style.StyleOptions;
import org.ijgenai.core.style.StyleTransfer;
import org.ijgenai.core.tiling.PlanarImage;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.DialogListener;
import ij.gui.GenericDialog;
import ij.macro.Interpreter;
import ij.plugin.filter.ExtendedPlugInFilter;
import ij.plugin.filter.PlugInFilterRunner;
import ij.process.ImageProcessor;

/**
 * Plugins › Generative AI › Style Transfer (GAN)…: restyles the current image, its selection, or every slice of a
 * stack with an image-to-image generator, blended with the original by a strength, into a new RGB window. The
 * dialog previews the current slice live.
 *
 * <p>Macro: {@code run("Style Transfer (GAN)...", "model=/path/to/model format=animegan strength=0.8 tile=0
 * process");} where {@code format} is {@code descriptor} (read style.json) or a family id, {@code tile=0} uses
 * the model's tile size, and {@code process} restyles every slice.
 */
public final class StyleTransferCommand extends GenAiCommand implements ExtendedPlugInFilter, DialogListener {

    /** The title of the dialog and of error messages (the menu entry adds "..."). */
    public static final String TITLE = "Style Transfer (GAN)";
    /** The choice that reads the descriptor beside the model instead of applying a family's. */
    public static final String FROM_DESCRIPTOR = "descriptor";

    private static final String PREFS = "ijgenai.style.";
    private static final int FLAGS = DOES_ALL | SUPPORTS_MASKING;

    private ImagePlus imp;
    private volatile Thread dialogThread;
    // Written by the dialog's listener, read by the preview thread.
    private volatile String modelPath;
    private volatile String format;
    private volatile double strength;
    private volatile int tile;
    private volatile boolean allSlices;
    private StyleTransfer loaded;
    private String loadedKey;

    @Override
    public int setup(String arg, ImagePlus image) {
        this.imp = image;
        // Headless ImageJ cannot build the dialog (so no preview either); the run then reads the macro options.
        return GraphicsEnvironment.isHeadless() ? FLAGS | NO_CHANGES : FLAGS;
    }

    @Override
    public int showDialog(ImagePlus image, String command, PlugInFilterRunner pfr) {
        dialogThread = Thread.currentThread();
        // Macros get the built-in defaults for omitted keys, so a macro means the same on every machine.
        boolean macro = isMacro();
        GenericDialog gd = new GenAiDialog(TITLE);
        // A Browse button (an .onnx or a style.json); a folder or an installed model's name can be typed.
        gd.addFileField("Model", macro ? "" : Prefs.get(PREFS + "model", ""), 40);
        String[] formats = formatChoices();
        gd.addChoice("Format", formats, macro ? FROM_DESCRIPTOR : Prefs.get(PREFS + "format", FROM_DESCRIPTOR));
        gd.addSlider("Strength", 0, 1, macro ? 1.0 : Prefs.get(PREFS + "strength", 1.0), 0.05);
        gd.addNumericField("Tile", macro ? 0 : Prefs.get(PREFS + "tile", 0), 0, 6, "px (0 = the model's)");
        if (image.getStackSize() > 1) {
            gd.addCheckbox("Process all " + image.getStackSize() + " slices",
                    !macro && Prefs.get(PREFS + "stack", true));
        }
        String note = StyleImages.conversionNote(image);
        gd.addMessage((note != null ? note + "\n" : "")
                + "Model: an installed model's name (e.g. ink-gan), a folder with style.json, a style.json,"
                + "\nor an .onnx file with a format."
                + (note != null ? "\nThe preview shows the luminance of the RGB result." : ""));
        gd.addPreviewCheckbox(pfr);
        gd.addDialogListener(this);
        gd.showDialog();
        if (gd.wasCanceled()) {
            closeModel();
            return DONE;
        }
        // GenericDialog calls the first listener once more after OK (and once in a macro), so the fields are read.
        if (describeProblem() != null) {
            closeModel();
            reportError(TITLE, new IllegalArgumentException(describeProblem()));
            return DONE;
        }
        if (!macro) {
            Prefs.set(PREFS + "model", modelPath);
            Prefs.set(PREFS + "format", format);
            Prefs.set(PREFS + "strength", strength);
            Prefs.set(PREFS + "tile", tile);
            if (image.getStackSize() > 1) {
                Prefs.set(PREFS + "stack", allSlices);
            }
        }
        // The final run makes a new window and leaves this image untouched.
        return FLAGS | NO_CHANGES;
    }

    private static String[] formatChoices() {
        String[] ids = StyleFormat.ids();
        String[] choices = new String[ids.length + 1];
        choices[0] = FROM_DESCRIPTOR;
        System.arraycopy(ids, 0, choices, 1, ids.length);
        return choices;
    }

    @Override
    public boolean dialogItemChanged(GenericDialog gd, AWTEvent e) {
        modelPath = gd.getNextString().trim();
        format = gd.getNextChoice();
        strength = gd.getNextNumber();
        tile = (int) gd.getNextNumber();
        allSlices = imp.getStackSize() > 1 && gd.getNextBoolean();
        return describeProblem() == null;
    }

    private String describeProblem() {
        if (modelPath == null || modelPath.isEmpty()) {
            return "no model given";
        }
        try {
            ModelLocator.resolveFileOrFolder(modelPath, Prefs.get(ModelsWindow.PREF_USER_DIR, ""));
        } catch (GenAiException e) {
            return e.getMessage();
        }
        if (!(strength >= 0 && strength <= 1)) {
            return "strength must be between 0 and 1";
        }
        if (tile != 0 && tile < StyleOptions.MIN_TILE) {
            return "tile must be 0 or at least " + StyleOptions.MIN_TILE;
        }
        return null;
    }

    @Override
    public void setNPasses(int nPasses) {
        // One pass: the final run handles every slice itself.
    }

    @Override
    public void run(ImageProcessor ip) {
        boolean preview = dialogThread != null && Thread.currentThread() != dialogThread;
        try {
            if (modelPath == null) {
                readMacroOptions();
            }
            StyleTransfer transfer = model();
            StyleOptions options = new StyleOptions(strength, tile, -1);
            if (preview) {
                previewSlice(ip, transfer, options);
                return;
            }
            CancellationToken cancel = escapeCancels();
            ImagePlus result = StyleImages.stylize(imp, transfer, options, allSlices, imageJProgress(), cancel);
            if (GraphicsEnvironment.isHeadless() && !Interpreter.isBatchMode()) {
                // No window can open; the macro still finds the result as the current image.
                WindowManager.setTempCurrentImage(result);
            } else {
                ResultWindows.show(result);
            }
        } catch (RuntimeException failure) {
            if (!preview) {
                reportError(TITLE, failure);
            } else if (!(failure instanceof CancelledException)) {
                IJ.showStatus(TITLE + " preview: " + failure.getMessage());
            }
        } finally {
            IJ.showProgress(1.0);
            if (!preview) {
                closeModel();
            }
        }
    }

    /**
     * Reads the parameters from the macro options when no dialog could be shown (plain headless ImageJ, where
     * the filter runner skips the dialog): the same keys the dialog records.
     */
    private void readMacroOptions() {
        String options = Macro.getOptions();
        if (options == null) {
            throw new GenAiException("no dialog can be shown here; call it from a macro with options, e.g. "
                    + "run(\"Style Transfer (GAN)...\", \"model=/path/to/model.onnx format=animegan\")");
        }
        modelPath = Macro.getValue(options, "model", "").trim();
        format = Macro.getValue(options, "format", FROM_DESCRIPTOR);
        try {
            strength = Double.parseDouble(Macro.getValue(options, "strength", "1"));
            tile = Integer.parseInt(Macro.getValue(options, "tile", "0"));
        } catch (NumberFormatException e) {
            throw new GenAiException("strength and tile must be numbers in: " + options);
        }
        allSlices = imp.getStackSize() > 1 && (" " + options + " ").contains(" process ");
        String problem = describeProblem();
        if (problem != null) {
            throw new GenAiException(problem);
        }
    }

    private void previewSlice(ImageProcessor ip, StyleTransfer transfer, StyleOptions options) {
        Rectangle region = ip.getRoi();
        Thread previewThread = Thread.currentThread();
        // The preview thread is interrupted whenever a parameter changes; stop between tiles then.
        CancellationToken cancel = new CancellationToken(() -> previewThread.isInterrupted() || IJ.escapePressed());
        PlanarImage styled = transfer.apply(StyleImages.source(ip, region, ip.getMin(), ip.getMax()), options,
                imageJProgress(), cancel);
        StyleImages.preview(ip, region, styled, ip.getMin(), ip.getMax());
    }

    private static ProgressListener imageJProgress() {
        return (done, total, message) -> {
            IJ.showProgress(done, total);
            IJ.showStatus(TITLE + ": " + message);
        };
    }

    private synchronized StyleTransfer model() {
        String key = modelPath + "|" + format;
        if (loaded == null || !key.equals(loadedKey)) {
            closeModel();
            loaded = StyleTransfer.open(descriptor(modelPath, format), SessionSettings.DEFAULT);
            loadedKey = key;
        }
        return loaded;
    }

    private synchronized void closeModel() {
        if (loaded != null) {
            loaded.close();
            loaded = null;
            loadedKey = null;
        }
    }

    /**
     * The descriptor for a model path and a format choice ({@value #FROM_DESCRIPTOR} or a family id).
     *
     * @throws GenAiException when the model or its descriptor cannot be found
     */
    public static StyleDescriptor descriptor(String modelPath, String format) {
        Path path = ModelLocator.resolveFileOrFolder(modelPath, Prefs.get(ModelsWindow.PREF_USER_DIR, ""));
        StyleFormat family = format == null || format.equals(FROM_DESCRIPTOR) ? null : StyleFormat.parse(format);
        return StyleDescriptor.resolve(path, family);
    }
}
