package org.ijgenai.imagej;

import java.awt.AWTEvent;

import org.ijgenai.core.segment.BackgroundRemoval;
import org.ijgenai.core.segment.Segmentation;

import ij.ImagePlus;
import ij.Prefs;
import ij.gui.GenericDialog;
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
public final class RemoveBackgroundCommand extends SegmentationFilter {

    private static final String TITLE = "Remove Background";
    private static final String PREFS = "ijgenai.removebackground.";
    private static final String[] COLOURS = {"white", "black", "grey", "green", "blue", "red", "custom"};

    private String modelFolder;
    private int background;
    private double threshold;
    private boolean soft;
    private boolean maskOutput;
    private int tile;
    private boolean stack;

    /** Called by ImageJ. */
    public RemoveBackgroundCommand() {
        super(TITLE);
    }

    @Override
    public int showDialog(ImagePlus image, String command, PlugInFilterRunner pfr) {
        GenericDialog gd = new GenAiDialog(TITLE);
        SegmentationCommandSupport.addModelField(gd, PREFS);
        gd.addChoice("Background colour", COLOURS, Prefs.get(PREFS + "background", "white"));
        gd.addStringField("Custom colour (#RRGGBB)", Prefs.get(PREFS + "custom", "#00b140"), 10);
        SegmentationCommandSupport.addThresholdField(gd, PREFS);
        gd.addCheckbox("Soft edges (probability as opacity)", Prefs.get(PREFS + "soft", true));
        gd.addCheckbox("Mask as a separate image", Prefs.get(PREFS + "mask", true));
        SegmentationCommandSupport.addTileField(gd, PREFS);
        SegmentationCommandSupport.addStackField(gd, image, PREFS);
        if (!support.showDialog(gd, image, pfr, "Preview on this slice", this)) {
            return DONE;
        }
        SegmentationCommandSupport.rememberShared(PREFS, modelFolder, threshold, tile, stack);
        Prefs.set(PREFS + "soft", soft);
        Prefs.set(PREFS + "mask", maskOutput);
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
    void segment() {
        SegmentationRun.Options options = new SegmentationRun.Options(threshold, 0, tile, stack, true, maskOutput,
                false, false);
        SegmentationRun.Outputs outputs = support.run(imp, modelFolder, options, TITLE);
        ImagePlus result = SegmentationRun.cutout(imp, stack, outputs.probability(), threshold, soft, background);
        ResultWindows.show(result);
        if (outputs.mask() != null) {
            ResultWindows.show(outputs.mask());
        }
    }

    private static int[] rgbPixels(ImageProcessor ip) {
        return (int[]) (ip instanceof ColorProcessor ? ip : ip.convertToRGB()).getPixels();
    }

    /** Shows the cut-out of the current slice over the image. */
    @Override
    void preview() {
        int index = SegmentationRun.positions(imp, false).get(0);
        Segmentation result = support.model(modelFolder).segment(ImageSources.of(imp, index), imp.getBitDepth(),
                tile, SegmentationCommandSupport.progress(), escapeCancels());
        int[] composite = BackgroundRemoval.composite(rgbPixels(imp.getStack().getProcessor(index)),
                result.foreground(), threshold, soft, background);
        ColorProcessor picture = new ColorProcessor(imp.getWidth(), imp.getHeight(), composite);
        support.showPreview(imp, picture, 1.0, false);
    }
}
