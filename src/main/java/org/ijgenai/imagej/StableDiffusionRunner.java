package org.ijgenai.imagej;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.GeneratedImages;
import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.diffusion.InitImage;
import org.ijgenai.core.diffusion.StepRecorder;

import ij.IJ;
import ij.ImagePlus;

/**
 * Runs a Stable Diffusion generation for an ImageJ command: progress bar and status with ETA, Esc to cancel, the
 * model borrowed from the session cache, and windows shown only once everything succeeded.
 */
final class StableDiffusionRunner extends GenAiCommand {

    private StableDiffusionRunner() {}

    /**
     * Generates and shows the result (and the step stacks when asked). Errors reach the user once, through
     * {@link IJ#error}; cancelling leaves no windows.
     *
     * @param init the init image for img2img, or null for txt2img
     * @return the result image, or null when cancelled or failed
     */
    static ImagePlus run(String title, StableDiffusionDialog.Values values, InitImage init) {
        try {
            GenerationJob.Result result = new GenerationJob().setModel(values.model())
                    .setRequest(values.request())
                    .optUserModelDir(ij.Prefs.get(ModelsWindow.PREF_USER_DIR, ""))
                    .optInitImage(init)
                    .optStepRecording(StableDiffusionDialog.stepRecording(values.stepStacks()))
                    .optWarnings(warning -> IJ.log(title + ": " + warning))
                    .optProgress(statusProgress(title))
                    .optCancel(escapeCancels())
                    .run();
            IJ.showProgress(1.0);
            GeneratedImages images = result.images();
            String name = GeneratedImagePlus.titleFor(images.request().prompts());
            ImagePlus image = GeneratedImagePlus.images(images, name);
            GeneratedImagePlus.describe(image, result.parameters());
            StepRecorder recorder = result.steps();
            if (recorder != null && !recorder.labels().isEmpty()) {
                for (ImagePlus stack : GeneratedImagePlus.stepStacks(recorder, name, result.parameters())) {
                    ResultWindows.show(stack);
                }
            }
            ResultWindows.show(image);
            IJ.showStatus(String.format(java.util.Locale.ROOT, "%s: seed %d, %.1f s", title,
                    images.request().seed(), images.seconds()));
            return image;
        } catch (OutOfMemoryError e) {
            reportError(title, new GenAiException("Out of memory; try a smaller size or fewer images per prompt",
                    e));
            return null;
        } catch (RuntimeException e) {
            reportError(title, e);
            return null;
        }
    }
}
