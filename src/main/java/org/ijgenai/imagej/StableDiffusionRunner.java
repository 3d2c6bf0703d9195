package org.ijgenai.imagej;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.GeneratedImages;
import org.ijgenai.core.diffusion.InitImage;
import org.ijgenai.core.diffusion.ModelCache;
import org.ijgenai.core.catalog.ModelLocator;
import org.ijgenai.core.diffusion.StableDiffusionModel;
import org.ijgenai.core.diffusion.StableDiffusionPipeline;
import org.ijgenai.core.diffusion.StepListener;
import org.ijgenai.core.diffusion.StepRecorder;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.onnx.ExecutionDevice;
import org.ijgenai.core.progress.CancellationToken;

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
        IJ.resetEscape();
        ExecutionDevice device;
        try {
            device = ExecutionDevice.choose("auto");
        } catch (RuntimeException e) {
            reportError(title, e);
            return null;
        }
        CancellationToken cancel = new CancellationToken(IJ::escapePressed);
        try (ModelCache.Lease lease = ModelCache.shared().lease(ModelLocator.resolve(values.model(),
                ij.Prefs.get(ModelsWindow.PREF_USER_DIR, "")), device.settings(0))) {
            StableDiffusionModel model = lease.model();
            GenerationRequest request = values.request();
            int side = Math.max(request.width(), request.height()) > 0 ? Math.max(request.width(), request.height())
                    : model.folder().nativeWidth();
            String warning = device.memoryWarning(model.folder().weightBytes(), side, side,
                    request.batchSize() * (request.usesGuidance() ? 2 : 1));
            if (warning != null) {
                IJ.log(title + ": " + warning);
            }
            StableDiffusionPipeline pipeline = new StableDiffusionPipeline(model);
            String stacks = values.stepStacks();
            StepRecorder recorder = null;
            if (stacks.equals(StableDiffusionDialog.STEP_STACKS[1])) {
                recorder = new StepRecorder(pipeline, null);
            } else if (stacks.equals(StableDiffusionDialog.STEP_STACKS[2])) {
                IJ.showStatus("Fitting the latent preview to this model's VAE…");
                recorder = new StepRecorder(pipeline, model.latentPreview());
            }
            StepListener listener = recorder == null ? StepListener.NONE : recorder;
            GeneratedImages result = init == null
                    ? pipeline.textToImage(values.request(), listener, (done, total, message) -> {
                        IJ.showProgress(done, total);
                        IJ.showStatus(title + ": " + message + " (Esc cancels)");
                    }, cancel)
                    : pipeline.imageToImage(values.request(), init, listener, (done, total, message) -> {
                        IJ.showProgress(done, total);
                        IJ.showStatus(title + ": " + message + " (Esc cancels)");
                    }, cancel);
            IJ.showProgress(1.0);
            String name = GeneratedImagePlus.titleFor(result.request().prompts());
            ImagePlus image = GeneratedImagePlus.images(result, name);
            java.util.Map<String, String> parameters = new java.util.LinkedHashMap<>(result.parameters());
            parameters.put("model_path", values.model());
            GeneratedImagePlus.describe(image, parameters);
            if (recorder != null && !recorder.labels().isEmpty()) {
                for (ImagePlus stack : GeneratedImagePlus.stepStacks(recorder, name, parameters)) {
                    stack.show();
                }
            }
            image.show();
            IJ.showStatus(String.format(java.util.Locale.ROOT, "%s: seed %d, %.1f s", title,
                    result.request().seed(), result.seconds()));
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
