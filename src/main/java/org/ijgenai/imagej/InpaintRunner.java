package org.ijgenai.imagej;

import java.util.ArrayList;
import java.util.List;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.diffusion.InpaintJob;
import org.ijgenai.core.diffusion.StepRecorder;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.progress.CancellationToken;

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
        IJ.resetEscape();
        try {
            InpaintJob.Result result = new InpaintJob().setModel(values.model()).setRequest(values.request())
                    .setImage(image, mask).optSource(source).optSettings(values.settings())
                    .optUserModelDir(ij.Prefs.get(ModelsWindow.PREF_USER_DIR, ""))
                    .optStepRecording(recording(values.stepStacks()))
                    .optWarnings(note -> IJ.log(title + ": " + note))
                    .optProgress((done, total, message) -> {
                        IJ.showProgress(done, total);
                        IJ.showStatus(title + ": " + message + " (Esc cancels)");
                    })
                    .optCancel(new CancellationToken(IJ::escapePressed))
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

    private static GenerationJob.StepRecording recording(String choice) {
        return choice.equals(StableDiffusionDialog.STEP_STACKS[1]) ? GenerationJob.StepRecording.DECODED
                : choice.equals(StableDiffusionDialog.STEP_STACKS[2]) ? GenerationJob.StepRecording.PREVIEW
                : GenerationJob.StepRecording.NONE;
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
