package org.ijgenai.core.diffusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.network.LatentDistribution;
import org.ijgenai.core.diffusion.network.TextEncoder;
import org.ijgenai.core.diffusion.network.Unet;
import org.ijgenai.core.diffusion.network.VaeDecoder;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.random.NumpyRandomState;
import org.ijgenai.core.scheduler.Scheduler;
import org.ijgenai.core.scheduler.StepOutput;
import org.ijgenai.core.tensor.Tensor;
import org.ijgenai.core.text.ClipTokenizer;

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

    /** diffusers' pipelines force steps_offset = 1 into every scheduler config. */
    private static final int STEPS_OFFSET = 1;

    private final StableDiffusionModel model;

    /** A pipeline over an opened model. */
    public StableDiffusionPipeline(StableDiffusionModel model) {
        this.model = model;
    }

    /** Generates images from text. */
    public GeneratedImages textToImage(GenerationRequest request, StepListener steps, ProgressListener progress,
            CancellationToken cancel) {
        return run(request, null, steps, progress, cancel);
    }

    /** Generates images from text and an init image, re-noised to {@code request.strength()}. */
    public GeneratedImages imageToImage(GenerationRequest request, InitImage init, StepListener steps,
            ProgressListener progress, CancellationToken cancel) {
        if (init == null) {
            throw new IllegalArgumentException("image-to-image needs an init image");
        }
        return run(request, init, steps, progress, cancel);
    }

    private GeneratedImages run(GenerationRequest asked, InitImage init, StepListener listener,
            ProgressListener progress, CancellationToken cancel) {
        long started = System.nanoTime();
        ModelFolder folder = model.folder();
        GenerationRequest request = asked.withResolvedSeed();
        String schedulerName = request.scheduler() != null ? Schedulers.canonicalName(request.scheduler())
                : Schedulers.nameOfModelScheduler(folder);
        request = request.withScheduler(schedulerName);
        int width;
        int height;
        if (init != null) {
            width = init.workingWidth();
            height = init.workingHeight();
        } else {
            width = request.width() > 0 ? request.width() : folder.nativeWidth();
            height = request.height() > 0 ? request.height() : folder.nativeHeight();
        }
        folder.checkSize(width, height);
        request = request.withSize(width, height);

        cancel.throwIfCancelled();
        Unet unet = model.unet();
        Scheduler scheduler = Schedulers.create(schedulerName, folder);
        scheduler.setTimesteps(request.steps());
        double[] timesteps = scheduler.timesteps();

        int batch = request.batchSize();
        int channels = unet.latentChannels();
        int h = height / 8;
        int w = width / 8;
        int latentSize = batch * channels * h * w;
        boolean lcm = unet.takesGuidanceEmbedding();
        boolean guided = request.usesGuidance() && !lcm;

        int start = 0;
        int evaluations = timesteps.length;
        if (init != null) {
            int initTimestep = Math.min((int) (request.steps() * request.strength()) + STEPS_OFFSET,
                    request.steps());
            start = Math.max(request.steps() - initTimestep + STEPS_OFFSET, 0);
            evaluations = Math.max(timesteps.length - start, 0);
        }
        int totalUnits = 1 + (init != null ? 1 : 0) + evaluations + batch;
        Progress tracker = new Progress(progress, totalUnits);

        tracker.advance("encoding the prompt");
        Tensor embeddings = encodePrompts(request, guided);
        cancel.throwIfCancelled();

        NumpyRandomState generator = new NumpyRandomState(request.seed());
        float[] latents;
        if (init == null) {
            latents = generator.randn(latentSize);
            float sigma = (float) scheduler.initNoiseSigma();
            for (int i = 0; i < latentSize; i++) {
                latents[i] *= sigma;
            }
        } else {
            tracker.advance("encoding the init image");
            LatentDistribution distribution = model.vaeEncoder().encode(init.toModelInput(), height, width, channels);
            float[] one = distribution.sample(generator);
            float scaling = (float) folder.scalingFactor();
            int perImage = channels * h * w;
            if (one.length != perImage) {
                throw new GenAiException(folder.vaeEncoder() + " returned latents of " + one.length
                        + " values for a " + width + "×" + height + " image; expected " + perImage);
            }
            float[] initLatents = new float[latentSize];
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < perImage; i++) {
                    initLatents[b * perImage + i] = scaling * one[i];
                }
            }
            int initTimestep = Math.min((int) (request.steps() * request.strength()) + STEPS_OFFSET,
                    request.steps());
            double noiseTimestep = timesteps[timesteps.length - initTimestep];
            float[] noise = generator.randn(latentSize);
            latents = scheduler.addNoise(initLatents, noise, noiseTimestep);
        }

        float[] guidanceEmbedding = lcm ? guidanceEmbedding(request.guidance(), batch, lcmEmbeddingDim(unet))
                : null;
        AlphaBar alphaBar = new AlphaBar(folder);
        double[] stepSeconds = new double[evaluations];
        double[] networkSeconds = new double[evaluations];
        for (int i = start, n = 1; i < timesteps.length; i++, n++) {
            long stepStart = System.nanoTime();
            long networkStart = unet.networkNanos();
            cancel.throwIfCancelled();
            double t = timesteps[i];
            float[] scaled = scheduler.scaleModelInput(latents, t);
            float[] input = guided ? twice(scaled) : scaled;
            float[] prediction;
            try {
                prediction = unet.predict(input, guided ? 2 * batch : batch, h, w, t, embeddings, guidanceEmbedding);
            } catch (GenAiException e) {
                throw explainSize(e, width, height, n == 1);
            }
            float[] modelOutput = guided ? guide(prediction, (float) request.guidance()) : prediction;
            StepOutput out = scheduler.step(modelOutput, t, latents, generator);
            float[] predicted = out.predOriginalSample() != null ? out.predOriginalSample()
                    : alphaBar.predictOriginal(scaled, modelOutput, t, folder.predictionType());
            latents = out.prevSample();
            listener.onStep(new StepSnapshot(n, evaluations, t, latents, predicted, batch, channels, h, w));
            tracker.advance(StepSnapshot.label(n, evaluations, t));
            stepSeconds[n - 1] = (System.nanoTime() - stepStart) / 1e9;
            networkSeconds[n - 1] = (unet.networkNanos() - networkStart) / 1e9;
        }

        StepTimings timings = new StepTimings(stepSeconds, networkSeconds);
        List<float[]> images = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            cancel.throwIfCancelled();
            tracker.advance("decoding image " + (b + 1) + "/" + batch);
            images.add(decode(latents, b, channels, h, w));
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("model", folder.name());
        parameters.putAll(request.describe(init != null));
        if (init != null && init.source() != null) {
            parameters.put("init", init.source());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new GeneratedImages(request, images, width, height, parameters, seconds, timings);
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

    /**
     * The text embeddings diffusers' {@code _encode_prompt} makes: each prompt's hidden states repeated per image,
     * preceded under guidance by the negative prompt's (or ""'s).
     */
    private Tensor encodePrompts(GenerationRequest request, boolean guided) {
        TextEncoder encoder = model.textEncoder();
        ClipTokenizer tokenizer = model.tokenizer();
        List<String> prompts = request.prompts();
        int[][] ids = new int[prompts.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenizer.encode(prompts.get(i)).ids();
        }
        Tensor positive = encoder.encode(ids);
        float[] pos = repeat(positive.floats(), prompts.size(), request.imagesPerPrompt());
        int length = (int) positive.dim(1);
        int dim = (int) positive.dim(2);
        int batch = request.batchSize();
        if (!guided) {
            return Tensor.ofFloats(pos, batch, length, dim);
        }
        String negative = request.negativePrompt() == null ? "" : request.negativePrompt();
        int[][] negIds = new int[prompts.size()][];
        for (int i = 0; i < negIds.length; i++) {
            negIds[i] = tokenizer.encode(negative).ids();
        }
        float[] neg = repeat(encoder.encode(negIds).floats(), prompts.size(), request.imagesPerPrompt());
        float[] both = new float[2 * pos.length];
        System.arraycopy(neg, 0, both, 0, neg.length);
        System.arraycopy(pos, 0, both, neg.length, pos.length);
        return Tensor.ofFloats(both, 2L * batch, length, dim);
    }

    /** numpy's {@code np.repeat(x, times, axis=0)}: each row repeated consecutively. */
    private static float[] repeat(float[] rows, int count, int times) {
        if (times == 1) {
            return rows;
        }
        int rowSize = rows.length / count;
        float[] out = new float[rows.length * times];
        for (int r = 0; r < count; r++) {
            for (int k = 0; k < times; k++) {
                System.arraycopy(rows, r * rowSize, out, (r * times + k) * rowSize, rowSize);
            }
        }
        return out;
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
        int dim = unet.guidanceEmbeddingDim();
        if (dim > 0) {
            return dim;
        }
        java.nio.file.Path config = model.folder().root().resolve("unet/config.json");
        if (java.nio.file.Files.isRegularFile(config)) {
            var json = ModelFolder.readJson(config);
            if (json.has("time_cond_proj_dim") && !json.get("time_cond_proj_dim").isJsonNull()) {
                return json.get("time_cond_proj_dim").getAsInt();
            }
        }
        throw new GenAiException(unet.file() + " takes timestep_cond but neither its shape nor unet/config.json"
                + " gives time_cond_proj_dim");
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
