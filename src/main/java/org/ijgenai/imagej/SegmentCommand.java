package org.ijgenai.imagej;

import java.awt.AWTEvent;
import java.awt.GraphicsEnvironment;
import java.nio.file.Paths;

import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.segment.Segmentation;

import ij.IJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.gui.GenericDialog;
import ij.gui.Roi;
import ij.plugin.filter.PlugInFilterRunner;
import ij.plugin.frame.RoiManager;
import ij.process.ColorProcessor;

/**
 * Plugins › Generative AI › Segment (CNN)...: segments the current slice or every slice with an ONNX segmentation
 * model and opens the chosen outputs (probability map, mask, label image, ROIs), with a mask preview.
 *
 * <p>Macro: {@code run("Segment (CNN)...", "model=/path/isnet-small threshold=0.5 minimum=100 tile=0
 * probability mask label measure add rois=/path/rois.zip stack");} With {@code measure}, the objects' area,
 * centroid, bounding box and mean are a table {@code NAME-objects}, which a macro also gets as the Results table.
 */
public final class SegmentCommand extends SegmentationFilter {

    private static final String TITLE = "Segment (CNN)";
    private static final String PREFS = "ijgenai.segment.";

    private String modelFolder;
    private double threshold;
    private int minimum;
    private int tile;
    private boolean probability;
    private boolean mask;
    private boolean labels;
    private boolean measure;
    private boolean addToManager;
    private String roisFile;
    private boolean stack;

    /** Called by ImageJ. */
    public SegmentCommand() {
        super(TITLE);
    }

    @Override
    public int showDialog(ImagePlus image, String command, PlugInFilterRunner pfr) {
        GenericDialog gd = new GenAiDialog(TITLE);
        SegmentationCommandSupport.addModelField(gd, PREFS);
        SegmentationCommandSupport.addThresholdField(gd, PREFS);
        gd.addNumericField("Minimum object size (pixels)", Prefs.get(PREFS + "minimum", 0), 0);
        SegmentationCommandSupport.addTileField(gd, PREFS);
        gd.addCheckbox("Probability map (32-bit)", Prefs.get(PREFS + "probability", true));
        gd.addCheckbox("Mask (binary)", Prefs.get(PREFS + "mask", true));
        gd.addCheckbox("Label image (one value per object)", Prefs.get(PREFS + "labels", false));
        gd.addCheckbox("Measure objects (area, centroid, mean)", Prefs.get(PREFS + "measure", false));
        gd.addCheckbox("Add ROIs to the ROI Manager", Prefs.get(PREFS + "add", false));
        gd.addStringField("ROIs file (.zip, optional)", "", 40);
        SegmentationCommandSupport.addStackField(gd, image, PREFS);
        if (!support.showDialog(gd, image, pfr, "Preview mask on this slice", this)) {
            return DONE;
        }
        SegmentationCommandSupport.rememberShared(PREFS, modelFolder, threshold, tile, stack);
        Prefs.set(PREFS + "minimum", minimum);
        Prefs.set(PREFS + "probability", probability);
        Prefs.set(PREFS + "mask", mask);
        Prefs.set(PREFS + "labels", labels);
        Prefs.set(PREFS + "measure", measure);
        Prefs.set(PREFS + "add", addToManager);
        return FLAGS;
    }

    @Override
    public boolean dialogItemChanged(GenericDialog gd, AWTEvent e) {
        modelFolder = gd.getNextString();
        threshold = gd.getNextNumber();
        minimum = (int) gd.getNextNumber();
        tile = (int) gd.getNextNumber();
        probability = gd.getNextBoolean();
        mask = gd.getNextBoolean();
        labels = gd.getNextBoolean();
        measure = gd.getNextBoolean();
        addToManager = gd.getNextBoolean();
        roisFile = gd.getNextString().trim();
        stack = imp.getStackSize() > 1 && gd.getNextBoolean();
        if (!gd.isPreviewActive()) {
            support.removePreview(imp);
        }
        return !gd.invalidNumber() && threshold >= 0 && threshold <= 1 && minimum >= 0 && tile >= 0
                && !modelFolder.isBlank();
    }

    @Override
    void segment() {
        SegmentationRun.Options options = new SegmentationRun.Options(threshold, minimum, tile, stack, probability,
                mask, labels || measure, addToManager || !roisFile.isEmpty());
        SegmentationRun.Outputs outputs = support.run(imp, modelFolder, options, TITLE);
        show(outputs.probability());
        show(outputs.mask());
        if (labels) {
            show(outputs.labels());
        }
        if (measure) {
            MacroTables.publish(ObjectMeasurements.measure(outputs.labels(), imp, stack),
                    SegmentationRun.stripExtension(imp.getTitle()) + "-objects");
        }
        if (outputs.rois() != null) {
            publishRois(outputs);
        }
    }

    private void publishRois(SegmentationRun.Outputs outputs) {
        if (!roisFile.isEmpty()) {
            RoiSets.save(outputs.rois(), Paths.get(roisFile));
            IJ.log(TITLE + ": " + outputs.rois().size() + " ROIs saved to " + roisFile);
        }
        if (addToManager) {
            if (GraphicsEnvironment.isHeadless()) {
                IJ.log(TITLE + ": no ROI Manager when headless; use rois=FILE to save the ROIs");
                return;
            }
            RoiManager manager = RoiManager.getRoiManager();
            for (Roi roi : outputs.rois()) {
                manager.addRoi(roi);
            }
        }
    }

    private static void show(ImagePlus result) {
        if (result != null) {
            result.show();
        }
    }

    /** Segments the current slice and shows the mask in red over the image. */
    @Override
    void preview() {
        ProgressListener progress = SegmentationCommandSupport.progress();
        CancellationToken cancel = escapeCancels();
        Segmentation result = support.model(modelFolder).segment(
                ImageSources.of(imp, SegmentationRun.positions(imp, false).get(0)), imp.getBitDepth(), tile,
                progress, cancel);
        boolean[] m = result.mask(threshold);
        int[] red = new int[m.length];
        for (int i = 0; i < m.length; i++) {
            red[i] = m[i] ? 0xff0000 : 0;
        }
        support.showPreview(imp, new ColorProcessor(imp.getWidth(), imp.getHeight(), red), 0.4, true);
    }
}
