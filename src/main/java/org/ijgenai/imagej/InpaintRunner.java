package org.ijgenai.imagej;

import java.util.ArrayList;
import java.util.List;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.InpaintJob;
import org.ijgenai.core.diffusion.StepRecorder;
import org.ijgenai.core.image.RgbImage;

import ij.IJ;
import ij.ImagePlus;

/**
 * Runs an inpainting job for Generative Fill and Generative Expand: progress bar and status, Esc to cancel, errors
 * reported once, and the result shown as a stack whose slices are labelled with the seed.
 */
final class InpaintRunner extends GenAiCommand {

    private InpaintRunner() {}

    /** Runs the job; null when it failed or was cancelled (already reported). */
    static InpaintJob.Result run(String title, InpaintDialog.Values values, RgbImage image, float[] mask,
            String source) {
        try {
            InpaintJob.Result result = new InpaintJob().setModel(values.model()).setRequest(values.request())
                    .setImage(image, mask).optSource(source).optSettings(values.settings())
                    .optUserModelDir(ij.Prefs.get(ModelsWindow.PREF_USER_DIR, ""))
                    .optStepRecording(StableDiffusionDialog.stepRecording(values.stepStacks()))
                    .optWarnings(note -> IJ.log(title + ": " + note))
                    .optProgress(statusProgress(title))
                    .optCancel(escapeCancels())
                    .run();
            IJ.showProgress(1.0);
            StepRecorder recorder = result.generation() == null ? null : result.generation().steps();
            if (recorder != null && !recorder.labels().isEmpty()) {
                for (ImagePlus stack : GeneratedImagePlus.stepStacks(recorder, source, result.parameters())) {
                    ResultWindows.show(stack);
                }
            }
            return result;
        } catch (OutOfMemoryError e) {
            reportError(title, new GenAiException("Out of memory; try the masked context or fewer variations", e));
            return null;
        } catch (RuntimeException e) {
            reportError(title, e);
            return null;
        }
    }

    /** Shows images of a result in a new window, each slice labelled with the seed and its number. */
    static ImagePlus show(List<RgbImage> images, String title, InpaintJob.Result result) {
        String seed = result.parameters().getOrDefault("seed", "?");
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            labels.add("seed " + seed + (images.size() > 1 || result.images().size() > 1 ? " · variation "
                    + (result.images().size() - images.size() + i + 1) : ""));
        }
        ImagePlus imp = GenerativeFillCommand.stack(images, title, labels);
        GeneratedImagePlus.describe(imp, result.parameters());
        ResultWindows.show(imp);
        IJ.showStatus(title + ": seed " + seed);
        return imp;
    }
}
