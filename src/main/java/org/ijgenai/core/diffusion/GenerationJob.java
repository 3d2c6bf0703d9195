package org.ijgenai.core.diffusion;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.catalog.ModelLocator;
import org.ijgenai.core.diffusion.network.Unet;
import org.ijgenai.core.onnx.ExecutionDevice;

/**
 * One Stable Diffusion generation as every front end runs it (the ImageJ commands, Prompt Studio, the CLI):
 * resolve the model name or folder, lease the opened model from the shared cache, check the memory the run
 * needs, run the pipeline with the chosen step recording, and describe the parameters of the result.
 *
 * <p>Built with {@code set…} for what is required and {@code opt…} for the rest, then {@link #run()}.
 */
public final class GenerationJob extends JobBuilder<GenerationJob> {

    /** How the denoising steps are kept. */
    public enum StepRecording {
        /** Not at all. */
        NONE,
        /** Every step's latents and x̂0 decoded with the VAE. */
        DECODED,
        /** Every step through the model's cheap fitted latent preview. */
        PREVIEW
    }

    /**
     * The outcome of a job.
     *
     * @param images the generated images and the parameters of the run
     * @param steps the recorded steps, or null when none were asked for
     * @param parameters the run's parameters with the model's resolved path ({@code model_path})
     * @param modelPath the model folder that ran
     */
    public record Result(GeneratedImages images, StepRecorder steps, Map<String, String> parameters, Path modelPath) {}

    private LatentStartFactory start = sd -> NoiseLatents.INSTANCE;
    private StepRecording recording = StepRecording.NONE;
    private Function<StableDiffusionModel, StepListener> liveListener = sd -> StepListener.NONE;
    private Function<StableDiffusionModel, Unet> unet;
    private UnaryOperator<PromptEncoder> promptEncoding = UnaryOperator.identity();

    /** Makes the latent start of a run once the model is open (an init image needs nothing of it; masks might). */
    @FunctionalInterface
    public interface LatentStartFactory {
        /** The latent start for a run on {@code model}. */
        LatentStart create(StableDiffusionModel model);
    }

    /** img2img from this init image (txt2img when null). */
    public GenerationJob optInitImage(InitImage init) {
        this.start = init == null ? sd -> NoiseLatents.INSTANCE : sd -> new InitImageLatents(init, sd.folder().isXl());
        return this;
    }

    /** Any other start of the latents (inpainting, …). */
    public GenerationJob optLatentStart(LatentStartFactory factory) {
        this.start = factory;
        return this;
    }

    /** Whether and how to keep every denoising step. */
    public GenerationJob optStepRecording(StepRecording how) {
        this.recording = how;
        return this;
    }

    /** A listener on every step besides the recording (Prompt Studio's live preview), made once the model is open. */
    public GenerationJob optStepListener(Function<StableDiffusionModel, StepListener> factory) {
        this.liveListener = factory;
        return this;
    }

    /**
     * A UNet to evaluate instead of the model's own, made once the model is open and closed after the run (a copy
     * that captures its attention, {@link Unet#loadCapturing}).
     */
    public GenerationJob optUnet(Function<StableDiffusionModel, Unet> factory) {
        this.unet = factory;
        return this;
    }

    /**
     * What to make of the model's own prompt encoder (a prompt walk's {@link PromptBlend#over}); the identity by
     * default.
     */
    public GenerationJob optPromptEncoding(UnaryOperator<PromptEncoder> encoding) {
        this.promptEncoding = encoding;
        return this;
    }

    /**
     * Runs the generation.
     *
     * @throws org.ijgenai.core.GenAiException when the model cannot be found or opened, or a network fails
     * @throws org.ijgenai.core.progress.CancelledException when cancelled
     */
    public Result run() {
        if (model() == null || request() == null) {
            throw new IllegalStateException("a generation job needs setModel and setRequest");
        }
        Path folder = ModelLocator.resolve(model(), userModelDir());
        ExecutionDevice chosen = ExecutionDevice.choose(device());
        try (ModelCache.Lease lease = cache().lease(folder, chosen.settings(threads()));
                Unet own = unet == null ? null : unet.apply(lease.model())) {
            StableDiffusionModel sd = lease.model();
            StableDiffusionPipeline pipeline = new StableDiffusionPipeline(sd, own).optWarnings(warnings())
                    .optPromptEncoding(promptEncoding);
            LatentStart latentStart = start.create(sd);
            DenoisingPlan plan = pipeline.plan(request(), latentStart);
            String warning = chosen.memoryWarning(sd.folder().weightBytes(), plan.width(), plan.height(),
                    plan.unetBatch());
            if (warning != null) {
                warnings().accept(warning);
            }
            // Refused here, before any network runs, rather than inside ONNX Runtime after minutes of swapping.
            HostMemory host = HostMemory.now();
            MemoryEstimate.of(sd.folder(), plan, recording != StepRecording.NONE).check(plan, chosen.isGpu(),
                    host.freeBytes() < 0 ? -1 : host.freeBytes()
                            + HostMemory.reusableNativeBytes(sd.folder().weightBytes()),
                    MemoryEstimate.heapAvailable());
            StepRecorder recorder = recorder(pipeline, sd);
            StepListener live = liveListener.apply(sd);
            StepListener listener = recorder == null ? live
                    : live == StepListener.NONE ? recorder : snapshot -> {
                        recorder.onStep(snapshot);
                        live.onStep(snapshot);
                    };
            hashModel(sd.folder().unet());
            GeneratedImages images;
            try {
                images = pipeline.generate(plan, latentStart, listener, progress(), cancel());
            } catch (RuntimeException e) {
                throw explainAllocationFailure(e, plan);
            }
            Map<String, String> parameters = new LinkedHashMap<>(images.parameters());
            parameters.put("model_path", folder.toAbsolutePath().toString());
            return new Result(images, recorder, parameters, folder);
        }
    }

    /**
     * Computes the UNet's {@link ModelHash} now, through this job's progress and cancel, so that the first hash of
     * a model of gigabytes shows what it is doing instead of a pause; the pipeline then finds it in the cache.
     */
    private void hashModel(Path unetFile) {
        try {
            ModelHash.shared().sha256(unetFile, progress(), cancel());
        } catch (GenAiException e) {
            // An unreadable file is the pipeline's to report: it records the run without a hash, with a warning.
        }
    }

    private static final Pattern ALLOCATION = Pattern.compile("Failed to allocate memory for requested buffer of"
            + " size (\\d+)");

    // ONNX Runtime's words name neither the size asked for nor what to change; say both.
    private static RuntimeException explainAllocationFailure(RuntimeException failure, DenoisingPlan plan) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            Matcher m = e.getMessage() == null ? null : ALLOCATION.matcher(e.getMessage());
            if (m != null && m.find()) {
                double gib = Double.parseDouble(m.group(1)) / (1L << 30);
                return new GenAiException(String.format(Locale.ROOT, "%d×%d is too large for this model and"
                        + " machine: one of its buffers alone needs %.1f GiB (a UNet batch of %d at %d×%d latents);"
                        + " try a smaller width and height, e.g. the model's own size", plan.width(), plan.height(),
                        gib, plan.unetBatch(), plan.latentWidth(), plan.latentHeight()), failure);
            }
        }
        return failure;
    }

    private StepRecorder recorder(StableDiffusionPipeline pipeline, StableDiffusionModel sd) {
        switch (recording) {
            case DECODED:
                return new StepRecorder(pipeline, null);
            case PREVIEW:
                progress().progress(0, 1, "fitting the latent preview to this model's VAE");
                return new StepRecorder(pipeline, sd.latentPreview());
            default:
                return null;
        }
    }
}
