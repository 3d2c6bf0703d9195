package org.ijgenai.imagej;

import java.awt.AWTEvent;

import org.ijgenai.core.segment.BackgroundRemoval;
import org.ijgenai.core.segment.Segmentation;

import ij.IJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.gui.DialogListener;
import ij.gui.GenericDialog;
import ij.plugin.filter.ExtendedPlugInFilter;
import ij.plugin.filter.PlugInFilterRunner;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/**
 * Plugins › Generative AI › Remove Background...: puts the subject found by a segmentation model (IS-Net by
 * default) on a plain colour, and opens the mask as a separate image; previews the cut-out on the current slice.
 *
 * <p>Macro: {@code run("Remove Background...", "model=/path/isnet-small background=white custom=#ffffff
 * threshold=0.5 soft mask tile=0 stack");}
 */
public final class RemoveBackgroundCommand extends GenAiCommand implements ExtendedPlugInFilter, DialogListener {

    private static final String TITLE = "Remove Background";
    private static final String PREFS = "ijgenai.removebackground.";
    private static final String[] COLOURS = {"white", "black", "grey", "green", "blue", "red", "custom"};
    private static final int FLAGS = DOES_8G | DOES_16 | DOES_32 | DOES_RGB | NO_CHANGES | NO_UNDO;

    private final SegmentationCommandSupport support = new SegmentationCommandSupport();
    private ImagePlus imp;
    private String modelFolder;
    private int background;
    private double threshold;
    private boolean soft;
    private boolean maskOutput;
    private int tile;
    private boolean stack;

    @Override
    public int setup(String arg, ImagePlus image) {
        this.imp = image;
        return FLAGS;
    }

    @Override
    public int showDialog(ImagePlus image, String command, PlugInFilterRunner pfr) {
        GenericDialog gd = new GenAiDialog(TITLE);
        gd.addStringField("Model folder", Prefs.get(PREFS + "model",
                SegmentationCommandSupport.defaultModelFolder()), 40);
        gd.addChoice("Background colour", COLOURS, Prefs.get(PREFS + "background", "white"));
        gd.addStringField("Custom colour (#RRGGBB)", Prefs.get(PREFS + "custom", "#00b140"), 10);
        gd.addNumericField("Threshold (0-1)", Prefs.get(PREFS + "threshold", 0.5), 2);
        gd.addCheckbox("Soft edges (probability as opacity)", Prefs.get(PREFS + "soft", true));
        gd.addCheckbox("Mask as a separate image", Prefs.get(PREFS + "mask", true));
        gd.addNumericField("Tile size (0 = model default)", Prefs.get(PREFS + "tile", 0), 0);
        if (image.getStackSize() > 1) {
            gd.addCheckbox("Stack (all slices)", Prefs.get(PREFS + "stack", true));
        }
        gd.addPreviewCheckbox(pfr, "Preview on this slice");
        gd.addDialogListener(this);
        if (!support.showDialog(gd, image)) {
            return DONE;
        }
        Prefs.set(PREFS + "model", modelFolder);
        Prefs.set(PREFS + "threshold", threshold);
        Prefs.set(PREFS + "soft", soft);
        Prefs.set(PREFS + "mask", maskOutput);
        Prefs.set(PREFS + "tile", tile);
        Prefs.set(PREFS + "stack", stack);
        return FLAGS;
    }

    @Override
    public boolean dialogItemChanged(GenericDialog gd, AWTEvent e) {
        modelFolder = gd.getNextString();
        String colour = gd.getNextChoice();
        String custom = gd.getNextString();
        threshold = gd.getNextNumber();
        soft = gd.getNextBoolean();
        maskOutput = gd.getNextBoolean();
        tile = (int) gd.getNextNumber();
        stack = imp.getStackSize() > 1 && gd.getNextBoolean();
        if (!gd.isPreviewActive()) {
            support.removePreview(imp);
        }
        try {
            background = BackgroundRemoval.parseColour(colour.equals("custom") ? custom : colour);
        } catch (IllegalArgumentException bad) {
            return false;
        }
        Prefs.set(PREFS + "background", colour);
        Prefs.set(PREFS + "custom", custom);
        return !gd.invalidNumber() && threshold >= 0 && threshold <= 1 && tile >= 0 && !modelFolder.isBlank();
    }

    @Override
    public void setNPasses(int nPasses) {
        // Slices are looped inside run(), which reports its own progress.
    }

    @Override
    public void run(ImageProcessor ip) {
        if (support.previewing()) {
            preview();
            return;
        }
        try {
            SegmentationRun.Options options = new SegmentationRun.Options(threshold, 0, tile, stack, true,
                    maskOutput, false, false);
            SegmentationRun.Outputs outputs = support.run(imp, modelFolder, options, TITLE);
            ImagePlus result = SegmentationRun.cutout(imp, stack, outputs.probability(), threshold, soft,
                    background);
            result.show();
            if (outputs.mask() != null) {
                outputs.mask().show();
            }
            IJ.showProgress(1, 1);
            IJ.showStatus(TITLE + ": done");
        } catch (RuntimeException | OutOfMemoryError e) {
            reportError(TITLE, SegmentationCommandSupport.explain(e));
        } finally {
            support.close();
        }
    }

    private static int[] rgbPixels(ImageProcessor ip) {
        return (int[]) (ip instanceof ColorProcessor ? ip : ip.convertToRGB()).getPixels();
    }

    /** Shows the cut-out of the current slice over the image. */
    private void preview() {
        try {
            int index = SegmentationRun.positions(imp, false).get(0);
            Segmentation result = support.model(modelFolder).segment(ImageSources.of(imp, index), imp.getBitDepth(),
                    tile, SegmentationCommandSupport.progress(), escapeCancels());
            int[] composite = BackgroundRemoval.composite(rgbPixels(imp.getStack().getProcessor(index)),
                    result.foreground(), threshold, soft, background);
            ColorProcessor picture = new ColorProcessor(imp.getWidth(), imp.getHeight(), composite);
            support.showPreview(imp, picture, 1.0, false);
            IJ.showProgress(1, 1);
        } catch (RuntimeException | OutOfMemoryError e) {
            support.removePreview(imp);
            reportError(TITLE, SegmentationCommandSupport.explain(e));
        }
    }
}
