package org.ijgenai.imagej;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.search.ClipModel;
import org.ijgenai.core.search.ZeroShotClassifier;

/**
 * Plugins › Generative AI › CLIP Label Slices…: zero-shot classification of every slice of the current stack
 * against a list of labels (optionally inside a prompt template such as "a photo of a {}"), with softmax
 * probabilities at the model's logit scale. Results: a ResultsTable and a copy of the stack whose slice labels
 * name the winning label; the input stack is left unchanged.
 */
public final class ClipLabelSlicesCommand extends GenAiCommand implements PlugIn {

    private static final String TITLE = "CLIP Label Slices";
    private static final String TABLE = "CLIP Labels";

    @Override
    public void run(String arg) {
        ClipCommandSupport.useOwnClassLoader();
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) {
            IJ.noImage();
            return;
        }
        GenericDialog gd = new GenAiDialog(TITLE);
        gd.addStringField("Model folder (CLIP ONNX)", ClipCommandSupport.pref(ClipCommandSupport.PREF_MODEL, ""), 40);
        gd.addStringField("Labels (comma-separated)", ClipCommandSupport.pref("ijgenai.clip.labels",
                "cell, nucleus, background"), 40);
        gd.addStringField("Template ({} = label; blank: none)", ClipCommandSupport.pref("ijgenai.clip.template",
                "a photo of a {}"), 30);
        gd.addNumericField("Logit scale (0 = the model's)", 0, 2);
        gd.addCheckbox("Copy stack with slice labels", true);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String model = gd.getNextString();
        String labels = gd.getNextString();
        String template = gd.getNextString();
        double scale = gd.getNextNumber();
        boolean copy = gd.getNextBoolean();
        try {
            Path modelDir = ClipCommandSupport.folder(model, "model");
            ClipCommandSupport.remember(ClipCommandSupport.PREF_MODEL, model);
            ClipCommandSupport.remember("ijgenai.clip.labels", labels);
            ClipCommandSupport.remember("ijgenai.clip.template", template);
            if (scale < 0 || Double.isNaN(scale)) {
                throw new IllegalArgumentException("Logit scale must be ≥ 0 (0 takes the model's), was " + scale);
            }
            List<String> labelList = ZeroShotClassifier.parseLabels(labels);
            Labelled result = label(imp, modelDir, labelList, template, scale == 0 ? Double.NaN : scale);
            showTable(result, labelList);
            if (copy) {
                labelledCopy(imp, result).show();
            }
            IJ.showStatus(String.format(Locale.ROOT, "%s: %d slice(s), logit scale %.2f", TITLE,
                    result.results.size(), result.logitScale));
        } catch (RuntimeException | OutOfMemoryError e) {
            reportError(TITLE, e);
        }
    }

    /** The per-slice results of one run, with the stack positions they belong to. */
    public record Labelled(int[] positions, List<ZeroShotClassifier.Result> results, List<String> labels,
            double logitScale) {
    }

    /**
     * Classifies every slice (every z/t position of a composite image) of {@code imp}; usable without a dialog.
     *
     * @param logitScale NaN for the model's own
     */
    public static Labelled label(ImagePlus imp, Path modelDir, List<String> labels, String template,
            double logitScale) {
        CancellationToken cancel = escapeCancels();
        int[] positions = ClipImages.positions(imp);
        try (ClipModel model = ClipModel.open(modelDir, SessionSettings.DEFAULT)) {
            ZeroShotClassifier classifier = new ZeroShotClassifier(model, labels, template, logitScale);
            List<ZeroShotClassifier.Result> results = new ArrayList<>();
            final int batch = 16;
            for (int start = 0; start < positions.length; start += batch) {
                cancel.throwIfCancelled();
                List<RgbImage> images = new ArrayList<>();
                for (int i = start; i < Math.min(positions.length, start + batch); i++) {
                    images.add(ClipImages.slice(imp, positions[i], null));
                }
                results.addAll(classifier.classify(images));
                IJ.showProgress(results.size(), positions.length);
                IJ.showStatus("CLIP: labelled " + results.size() + " of " + positions.length + " (Esc cancels)");
            }
            IJ.showProgress(1.0);
            return new Labelled(positions, results, labels, classifier.logitScale());
        }
    }

    private static void showTable(Labelled labelled, List<String> labels) {
        ResultsTable table = new ResultsTable();
        for (int i = 0; i < labelled.results.size(); i++) {
            ZeroShotClassifier.Result r = labelled.results.get(i);
            table.incrementCounter();
            table.addValue("Slice", labelled.positions[i]);
            table.addValue("Label", labels.get(r.best()));
            table.addValue("Probability", r.probabilities()[r.best()]);
            for (int l = 0; l < labels.size(); l++) {
                table.addValue("p(" + labels.get(l) + ")", r.probabilities()[l]);
            }
        }
        MacroTables.publish(table, TABLE);
    }

    private static ImagePlus labelledCopy(ImagePlus imp, Labelled labelled) {
        if (labelled.results.isEmpty()) {
            throw new GenAiException("No slices were labelled");
        }
        ImagePlus copy = imp.duplicate();
        copy.setTitle(imp.getTitle() + " (CLIP labels)");
        ImageStack stack = copy.getStack();
        for (int i = 0; i < labelled.results.size(); i++) {
            ZeroShotClassifier.Result r = labelled.results.get(i);
            stack.setSliceLabel(String.format(Locale.ROOT, "%s (p=%.3f)", labelled.labels.get(r.best()),
                    r.probabilities()[r.best()]), labelled.positions[i]);
        }
        return copy;
    }
}
