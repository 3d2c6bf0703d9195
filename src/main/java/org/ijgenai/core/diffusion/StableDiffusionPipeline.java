package org.ijgenai.core.diffusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.network.UnetConditioning;
import org.ijgenai.core.diffusion.network.Unet;
import org.ijgenai.core.diffusion.network.VaeDecoder;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.random.NumpyRandomState;
import org.ijgenai.core.scheduler.Scheduler;
import org.ijgenai.core.scheduler.StepOutput;

/**
 * Stable Diffusion txt2img and img2img, computing what diffusers' {@code OnnxStableDiffusionPipeline} and
 * {@code OnnxStableDiffusionImg2ImgPipeline} compute for the same model, prompt, scheduler and numpy seed, in the
 * same float32 arithmetic and the same order of random draws.
 *
 * <p>Differences that are choices: the scaling factor comes from the VAE config when there is one (diffusers' ONNX
 * pipelines hard-code 0.18215, the default here too); ancestral schedulers draw their per-step noise from the same
 * seeded generator (diffusers' ONNX pipelines leave it to torch's global one, so no seed reproduces them); an
 * 8-channel VAE encoder is sampled from that generator before the img2img noise is drawn; and LCM-distilled UNets
 * get the guidance embedding instead of classifier-free guidance, as diffusers' LCM pipeline does.
 */
public final class StableDiffusionPipeline {

    /**
     * The parameter recording how an SDXL run made its negative half ("zeros", "encoded" or "none"), so that a
     * replay can tell no negative prompt from an explicit "".
     */
    public static final String NEGATIVE_EMBEDDINGS = "negative_embeddings";

    private final StableDiffusionModel model;
    private final Unet unetOverride;
    private Consumer<String> warnings = w -> {};
    private UnaryOperator<PromptEncoder> promptEncoding = UnaryOperator.identity();

    /** A pipeline over an opened model. */
    public StableDiffusionPipeline(StableDiffusionModel model) {
        this(model, null);
    }

    /**
     * A pipeline over an opened model that evaluates {@code unet} instead of the model's own UNet (a capturing copy
     * of it, {@link Unet#loadCapturing}); null for the model's own.
     */
    public StableDiffusionPipeline(StableDiffusionModel model, Unet unet) {
        this.model = model;
        this.unetOverride = unet;
    }

    private Unet unet() {
        return unetOverride != null ? unetOverride : model.unet();
    }

    /** Where warnings go (a prompt cut to the UNet's fixed text length, …); returns this pipeline. */
    public StableDiffusionPipeline optWarnings(Consumer<String> sink) {
        this.warnings = sink;
        return this;
    }

    /**
     * What to make of the model's own prompt encoder (a {@link PromptBlend} of two prompts' embeddings); the
     * identity by default. Returns this pipeline.
     */
    public StableDiffusionPipeline optPromptEncoding(UnaryOperator<PromptEncoder> encoding) {
        this.promptEncoding = encoding;
        return this;
    }

    /** Generates images from text. */
    public GeneratedImages textToImage(GenerationRequest request, StepListener steps, ProgressListener progress,
            CancellationToken cancel) {
        return generate(request, NoiseLatents.INSTANCE, steps, progress, cancel);
    }

    /** Generates images from text and an init image, re-noised to {@code request.strength()}. */
    public GeneratedImages imageToImage(GenerationRequest request, InitImage init, StepListener steps,
            ProgressListener progress, CancellationToken cancel) {
        return generate(request, new InitImageLatents(init, model.folder().isXl()), steps, progress, cancel);
    }

    /**
     * Runs the pipeline's four parts: encode the prompt → prepare the latents ({@code start}) → the denoising loop
     * (with {@code start}'s hook) → decode.
     */
    public GeneratedImages generate(GenerationRequest request, LatentStart start, StepListener listener,
            ProgressListener progress, CancellationToken cancel) {
        cancel.throwIfCancelled();
        return generate(plan(request, start), start, listener, progress, cancel);
    }

    /** Runs the pipeline on a plan made by {@link #plan} with the same {@code start}. */
    public GeneratedImages generate(DenoisingPlan plan, LatentStart start, StepListener listener,
            ProgressListener progress, CancellationToken cancel) {
        long started = System.nanoTime();
        cancel.throwIfCancelled();
        Progress tracker = new Progress(progress, 1 + start.preparationUnits() + plan.evaluations() + plan.batch());
        tracker.advance("encoding the prompt");
        UnetConditioning conditioning = conditioning(plan);
        cancel.throwIfCancelled();
        float[] latents = start.prepare(plan, model, tracker::advance);
        Denoised denoised = denoise(plan, conditioning, latents, start.hook(), listener, tracker, cancel);
        List<float[]> images = new ArrayList<>(plan.batch());
        for (int b = 0; b < plan.batch(); b++) {
            cancel.throwIfCancelled();
            tracker.advance("decoding image " + (b + 1) + "/" + plan.batch());
            images.add(decode(denoised.latents(), b, plan.channels(), plan.latentHeight(), plan.latentWidth()));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("model", model.folder().name());
        putModelHash(parameters);
        parameters.putAll(plan.request().describe(start.usesStrength()));
        if (model.folder().isXl()) {
            parameters.put(NEGATIVE_EMBEDDINGS,
                    SdxlPromptEncoder.negativeEmbeddings(plan.request(), plan.guided(), model.folder()));
        }
        start.describe(parameters);
        double seconds = (System.nanoTime() - started) / 1e9;
        return new GeneratedImages(plan.request(), images, plan.width(), plan.height(), parameters, seconds,
                denoised.timings());
    }

    /** Records the UNet's {@link ModelHash}; a file that cannot be read leaves it out with a warning, not a failure. */
    private void putModelHash(Map<String, String> parameters) {
        try {
            parameters.put(ModelHash.KEY, ModelHash.shared().shortHash(model.folder().unet()));
        } catch (GenAiException e) {
            warnings.accept("no model hash recorded: " + e.getMessage());
        }
    }

    /**
     * Settles everything before the first UNet evaluation: seed, scheduler and its timesteps, size, latent shape,
     * the first step, and whether classifier-free guidance doubles the UNet batch (LCM models take the guidance
     * embedding instead, as diffusers' LCM pipeline does).
     */
    public DenoisingPlan plan(GenerationRequest asked, LatentStart start) {
        ModelFolder folder = model.folder();
        GenerationRequest request = asked.withResolvedSeed();
        String schedulerName = request.scheduler() != null ? Schedulers.canonicalName(request.scheduler())
                : Schedulers.nameOfModelScheduler(folder);
        request = request.withScheduler(schedulerName);
        int[] size = start.size(request, folder);
        folder.checkSize(size[0], size[1]);
        request = request.withSize(size[0], size[1]);
        Scheduler scheduler = Schedulers.create(schedulerName, folder, request.timestepSpacing());
        scheduler.setTimesteps(request.steps());
        double[] timesteps = scheduler.timesteps();
        Unet unet = unet();
        if (unet.isInpainting() != start.feedsInpaintingUnet()) {
            throw new GenAiException(unet.isInpainting()
                    ? unet.file() + " is an inpainting UNet (" + unet.sampleChannels() + " input channels: latents,"
                            + " mask, masked image): use it for inpainting (Generative Fill / inpaint)"
                    : unet.file() + " takes " + unet.sampleChannels() + "-channel samples, not an inpainting UNet's "
                            + (unet.latentChannels() + 5));
        }
        boolean guided = request.usesGuidance() && !unet.takesGuidanceEmbedding();
        return new DenoisingPlan(request, scheduler, timesteps, unet.latentChannels(), size[1] / 8, size[0] / 8,
                start.firstStep(request, timesteps), guided, new NumpyRandomState(request.seed()));
    }

    /** The "encode prompt" part for this model: SDXL's two encoders, or CLIP's one for SD 1.x/2.x. */
    private PromptEncoder promptEncoder() {
        return promptEncoding.apply(modelPromptEncoder());
    }

    private PromptEncoder modelPromptEncoder() {
        return model.folder().isXl() ? new SdxlPromptEncoder(model, warnings)
                : new ClipPromptEncoder(model.tokenizer(), model.textEncoder(), unet().fixedSequenceLength(),
                        warnings);
    }

    /** The prompt's conditioning for the plan's UNet batch, with the LCM guidance embedding where the UNet takes it. */
    private UnetConditioning conditioning(DenoisingPlan plan) {
        UnetConditioning conditioning = promptEncoder().encode(plan.request(), plan.guided());
        Unet unet = unet();
        if (!unet.takesGuidanceEmbedding()) {
            return conditioning;
        }
        return conditioning.withGuidanceEmbedding(
                guidanceEmbedding(plan.request().guidance(), plan.batch(), lcmEmbeddingDim(unet)));
    }

    /** The final latents of a denoising loop and the time its steps took. */
    private record Denoised(float[] latents, StepTimings timings) {}

    /**
     * The denoising loop: for each timestep from the plan's first, scale the latents, evaluate the UNet (twice the
     * batch under guidance), combine the guidance halves, step the scheduler, and report the step.
     */
    private Denoised denoise(DenoisingPlan plan, UnetConditioning conditioning, float[] initial, DenoiseHook hook,
            StepListener listener, Progress tracker, CancellationToken cancel) {
        Unet unet = unet();
        ModelFolder folder = model.folder();
        AlphaBar alphaBar = new AlphaBar(folder);
        double[] timesteps = plan.timesteps();
        int evaluations = plan.evaluations();
        int h = plan.latentHeight();
        int w = plan.latentWidth();
        double[] stepSeconds = new double[evaluations];
        double[] networkSeconds = new double[evaluations];
        float[] latents = initial;
        for (int i = plan.firstStep(), n = 1; i < timesteps.length; i++, n++) {
            long stepStart = System.nanoTime();
            long networkStart = unet.networkNanos();
            cancel.throwIfCancelled();
            double t = timesteps[i];
            float[] scaled = plan.scheduler().scaleModelInput(latents, t);
            float[] input = hook.unetInput(plan.guided() ? twice(scaled) : scaled, plan.unetBatch(), i, t);
            float[] prediction;
            try {
                prediction = unet.predict(input, plan.unetBatch(), h, w, t, conditioning);
            } catch (GenAiException e) {
                throw explainSize(e, plan.width(), plan.height(), n == 1);
            }
            float[] modelOutput = plan.guided() ? guide(prediction, (float) plan.request().guidance()) : prediction;
            StepOutput out = plan.scheduler().step(modelOutput, t, latents, plan.generator());
            float[] predicted = out.predOriginalSample() != null ? out.predOriginalSample()
                    : alphaBar.predictOriginal(scaled, modelOutput, t, folder.predictionType());
            latents = hook.afterStep(out.prevSample(), i, t);
            listener.onStep(new StepSnapshot(n, evaluations, t, latents, predicted, plan.batch(), plan.channels(),
                    h, w));
            tracker.advance(StepSnapshot.label(n, evaluations, t));
            stepSeconds[n - 1] = (System.nanoTime() - stepStart) / 1e9;
            networkSeconds[n - 1] = (unet.networkNanos() - networkStart) / 1e9;
        }
        return new Denoised(latents, new StepTimings(stepSeconds, networkSeconds));
    }

    /**
     * Decodes one image of a batch of scaled latents: latents / scaling through the VAE decoder, then
     * clip(x / 2 + 0.5, 0, 1), planar [3, H, W].
     */
    public float[] decode(float[] latents, int image, int channels, int h, int w) {
        VaeDecoder decoder = model.vaeDecoder();
        int perImage = channels * h * w;
        float inverse = (float) (1.0 / model.folder().scalingFactor());
        float[] one = new float[perImage];
        for (int i = 0; i < perImage; i++) {
            one[i] = inverse * latents[image * perImage + i];
        }
        float[] rgb = decoder.decode(one, channels, h, w).floats();
        float[] out = new float[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            out[i] = Math.max(0f, Math.min(1f, rgb[i] / 2f + 0.5f));
        }
        return out;
    }

    private GenAiException explainSize(GenAiException e, int width, int height, boolean firstStep) {
        boolean multipleOf64 = width % 64 == 0 && height % 64 == 0;
        if (!firstStep || multipleOf64 || model.folder().sizeMultipleKnown()) {
            return e;
        }
        return new GenAiException("the UNet rejected " + width + "×" + height + ": exports traced at 512 or 768 only"
                + " take sizes that are multiples of 64 (try " + round64(width) + "×" + round64(height) + "). "
                + e.getMessage(), e);
    }

    private static int round64(int side) {
        return Math.max(64, Math.round(side / 64f) * 64);
    }

    private static float[] twice(float[] latents) {
        float[] out = new float[latents.length * 2];
        System.arraycopy(latents, 0, out, 0, latents.length);
        System.arraycopy(latents, 0, out, latents.length, latents.length);
        return out;
    }

    /** uncond + g · (text − uncond), in float32 as numpy computes it. */
    static float[] guide(float[] prediction, float scale) {
        int half = prediction.length / 2;
        float[] out = new float[half];
        for (int i = 0; i < half; i++) {
            float uncond = prediction[i];
            float text = prediction[half + i];
            out[i] = uncond + scale * (text - uncond);
        }
        return out;
    }

    private int lcmEmbeddingDim(Unet unet) {
        int dim = unet.guidanceEmbeddingDim() > 0 ? unet.guidanceEmbeddingDim() : model.folder().timeCondProjDim();
        if (dim <= 0) {
            throw new GenAiException(unet.file() + " takes timestep_cond but neither its shape nor unet/config.json"
                    + " gives time_cond_proj_dim");
        }
        return dim;
    }

    /**
     * diffusers' LCM {@code get_guidance_scale_embedding} for w = guidance − 1: sinusoids of 1000·w, sines then
     * cosines, zero-padded to an odd width, repeated for each image.
     */
    static float[] guidanceEmbedding(double guidance, int batch, int dim) {
        float w = (float) (guidance - 1) * 1000.0f;
        int half = dim / 2;
        float step = (float) Math.log(10000.0f) / (half - 1);
        float[] row = new float[dim];
        for (int k = 0; k < half; k++) {
            float frequency = (float) Math.exp(k * -step);
            float angle = w * frequency;
            row[k] = (float) Math.sin(angle);
            row[half + k] = (float) Math.cos(angle);
        }
        float[] out = new float[batch * dim];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(row, 0, out, b * dim, dim);
        }
        return out;
    }

    /** Reports each unit of work with an estimate of the time left. */
    private static final class Progress {
        private final ProgressListener listener;
        private final int total;
        private final long start = System.nanoTime();
        private int done;

        Progress(ProgressListener listener, int total) {
            this.listener = listener;
            this.total = total;
        }

        void advance(String message) {
            String eta = "";
            if (done > 1) {
                double perUnit = (System.nanoTime() - start) / 1e9 / done;
                eta = String.format(Locale.ROOT, " · %.0f s left", perUnit * (total - done));
            }
            listener.progress(done, total, message + eta);
            done++;
        }
    }
}
