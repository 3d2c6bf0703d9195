package org.ijgenai.core.diffusion;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.network.TextEncoder;
import org.ijgenai.core.diffusion.network.Unet;
import org.ijgenai.core.diffusion.network.UnetConditioning;
import org.ijgenai.core.tensor.Tensor;
import org.ijgenai.core.text.ChunkedPrompt;
import org.ijgenai.core.text.Emphasis;
import org.ijgenai.core.text.PromptChunker;

/**
 * SDXL prompt encoding as diffusers' {@code StableDiffusionXLPipeline.encode_prompt} and {@code _get_add_time_ids}
 * do it, with prompts of any length and weights as A1111 encodes them for SDXL: the penultimate hidden states of
 * both text encoders concatenated on the feature axis, the pooled {@code text_embeds} of the second, and the time
 * ids (original size, crop top-left, target size), each repeated per image and preceded under guidance by the
 * negative half.
 *
 * <p>Each text encoder cuts its own text into 75-token chunks with its own tokenizer ({@code tokenizer_2} pads with
 * {@code !}, id 0, as A1111's OpenCLIP wrapper and diffusers' {@code tokenizer_2} do), encodes them chunk by chunk,
 * weights its own hidden states by the emphasis (A1111 restores the mean per embedder, before the two are joined),
 * and the chunks are concatenated along the sequence axis ({@link ChunkedTextEncoding}). Every row (prompt,
 * prompt_2, negative, negative_2) is padded with its encoder's empty chunk to the longest chunk count. The pooled
 * embedding is the second encoder's for the first chunk, unweighted (A1111's {@code zs[0].pooled}). diffusers
 * itself truncates SDXL prompts at 77 tokens; a plain prompt of at most 75 tokens is one unweighted chunk of
 * diffusers' ids in both encoders, so it encodes exactly as diffusers does.
 *
 * <p>The negative half follows diffusers exactly: with the model's {@code force_zeros_for_empty_prompt}, no negative
 * prompt (null) gives zeros for both the embeddings and the pooled embedding, at any chunk count, while an explicit
 * "" is encoded like any text. {@code prompt_2} and {@code negative_prompt_2} feed the second encoder, defaulting
 * (when null or "") to the first ones.
 */
public final class SdxlPromptEncoder implements PromptEncoder {

    /** diffusers' {@code add_time_ids}: original (h, w), crop top-left (0, 0), target (h, w). */
    static final int TIME_IDS = 6;

    private final StableDiffusionModel model;
    private final Consumer<String> warnings;
    private final ChunkedTextEncoding first;
    private final ChunkedTextEncoding second;

    /** An encoder over an opened SDXL model's tokenizers, text encoders and UNet; truncation warnings are dropped. */
    public SdxlPromptEncoder(StableDiffusionModel model) {
        this(model, w -> {});
    }

    /**
     * An encoder over an opened SDXL model that warns to {@code warnings} when its UNet takes a fixed text length
     * shorter than the prompt's chunks, and cuts the prompt to what fits.
     */
    public SdxlPromptEncoder(StableDiffusionModel model, Consumer<String> warnings) {
        this.model = model;
        this.warnings = warnings;
        // The encoders are fetched from the model only when a chunk is encoded, so counting chunks loads nothing.
        this.first = new ChunkedTextEncoding(new PromptChunker(model.tokenizer()),
                ids -> new ChunkedTextEncoding.ChunkOutput(model.textEncoder().encodeLayers(ids).penultimate(), null));
        this.second = new ChunkedTextEncoding(new PromptChunker(model.tokenizer2()), ids -> {
            TextEncoder.LayerOutputs out = pooledEncoder().encodeLayers(ids);
            return new ChunkedTextEncoding.ChunkOutput(out.penultimate(), out.pooled());
        });
    }

    /** How the negative half of a request is made: "zeros", "encoded", or "none" without guidance. */
    public static String negativeEmbeddings(GenerationRequest request, boolean guided, ModelFolder folder) {
        if (!guided) {
            return "none";
        }
        return request.negativePrompt() == null && folder.forceZerosForEmptyPrompt() ? "zeros" : "encoded";
    }

    @Override
    public UnetConditioning encode(GenerationRequest request, boolean guided) {
        return encode(request, guided, 1);
    }

    @Override
    public int chunks(GenerationRequest request, boolean guided) {
        return chunked(request, guided).chunks;
    }

    /**
     * The request's rows cut into chunks by both tokenizers: the prompts and their prompt_2 texts, and the negative
     * rows (null when unguided or on the zeros path), with the chunk count they are all padded to.
     */
    private record Chunked(List<ChunkedPrompt> positives, List<ChunkedPrompt> positives2,
            List<ChunkedPrompt> negatives, List<ChunkedPrompt> negatives2, int chunks) {}

    private Chunked chunked(GenerationRequest request, boolean guided) {
        Emphasis emphasis = request.emphasis();
        List<String> prompts = request.prompts();
        List<String> prompts2 = new ArrayList<>(prompts.size());
        for (String prompt : prompts) {
            prompts2.add(orElse(request.prompt2(), prompt));
        }
        List<ChunkedPrompt> positives = first.chunk(prompts, emphasis);
        List<ChunkedPrompt> positives2 = second.chunk(prompts2, emphasis);
        int chunks = Math.max(ChunkedTextEncoding.chunkCount(positives), ChunkedTextEncoding.chunkCount(positives2));
        List<ChunkedPrompt> negatives = null;
        List<ChunkedPrompt> negatives2 = null;
        if (guided && !"zeros".equals(negativeEmbeddings(request, true, model.folder()))) {
            String negative = orElse(request.negativePrompt(), "");
            String negative2 = orElse(request.negativePrompt2(), negative);
            // One prompt's negative serves every row, as diffusers repeats it; chunked once.
            negatives = Collections.nCopies(prompts.size(), first.chunker().chunk(negative, emphasis));
            negatives2 = Collections.nCopies(prompts.size(), second.chunker().chunk(negative2, emphasis));
            chunks = Math.max(chunks, Math.max(ChunkedTextEncoding.chunkCount(negatives),
                    ChunkedTextEncoding.chunkCount(negatives2)));
        }
        return new Chunked(positives, positives2, negatives, negatives2, chunks);
    }

    @Override
    public UnetConditioning encode(GenerationRequest request, boolean guided, int minChunks) {
        Chunked chunked = chunked(request, guided);
        int chunks = Math.max(chunked.chunks, minChunks);
        if (chunks > 1) {
            // A prompt of one chunk fits every export, so only a longer one asks the UNet (which the pipeline has
            // loaded already) for its text length.
            chunks = ChunkedTextEncoding.fit(chunks, model.unet().fixedSequenceLength(), first.chunker(), warnings);
        }
        Emphasis emphasis = request.emphasis();
        int count = request.prompts().size();
        Encoded positive = encodeBoth(chunked.positives, chunked.positives2, chunks, emphasis);
        int images = request.imagesPerPrompt();
        int batch = request.batchSize();
        float[] hidden = ClipPromptEncoder.repeat(positive.hidden, count, images);
        float[] pooled = ClipPromptEncoder.repeat(positive.pooled, count, images);
        int rows = batch;
        if (guided) {
            float[] negHidden;
            float[] negPooled;
            if (chunked.negatives == null) {
                negHidden = new float[hidden.length];
                negPooled = new float[pooled.length];
            } else {
                Encoded encoded = encodeBoth(chunked.negatives, chunked.negatives2, chunks, emphasis);
                negHidden = ClipPromptEncoder.repeat(encoded.hidden, count, images);
                negPooled = ClipPromptEncoder.repeat(encoded.pooled, count, images);
            }
            hidden = ClipPromptEncoder.concat(negHidden, hidden);
            pooled = ClipPromptEncoder.concat(negPooled, pooled);
            rows = 2 * batch;
        }
        // Both text encoders (about 1.7 GB in fp32) make way for the UNet when they would not fit together.
        model.releaseTextEncodersIfShort();
        Unet unet = model.unet();
        checkUnet(unet);
        checkWidths(unet, positive);
        float[] timeIds = new float[rows * TIME_IDS];
        float h = request.height();
        float w = request.width();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(new float[] {h, w, 0f, 0f, h, w}, 0, timeIds, r * TIME_IDS, TIME_IDS);
        }
        return new UnetConditioning(Tensor.ofFloats(hidden, rows, positive.length, positive.dim), null,
                Map.of(Unet.TEXT_EMBEDS, Tensor.ofFloats(pooled, rows, positive.pooledDim),
                        Unet.TIME_IDS, Tensor.ofFloats(timeIds, rows, TIME_IDS)));
    }

    /** Both encoders' outputs for rows of text, the hidden states already concatenated on the feature axis. */
    private record Encoded(float[] hidden, int length, int dim, float[] pooled, int pooledDim) {}

    private Encoded encodeBoth(List<ChunkedPrompt> texts, List<ChunkedPrompt> texts2, int chunks, Emphasis emphasis) {
        ChunkedTextEncoding.Rows a = first.encode(texts, chunks, emphasis);
        ChunkedTextEncoding.Rows b = second.encode(texts2, chunks, emphasis);
        int rows = texts.size();
        int length = a.length();
        if (b.length() != length) {
            throw new GenAiException(model.folder().textEncoder2() + " returned " + b.length() + " tokens where "
                    + model.folder().textEncoder() + " returned " + length);
        }
        int da = a.dim();
        int db = b.dim();
        float[] fa = a.hidden();
        float[] fb = b.hidden();
        float[] both = new float[rows * length * (da + db)];
        for (int t = 0; t < rows * length; t++) {
            System.arraycopy(fa, t * da, both, t * (da + db), da);
            System.arraycopy(fb, t * db, both, t * (da + db) + da, db);
        }
        return new Encoded(both, length, da + db, b.pooled(), b.pooledDim());
    }

    /** text_encoder_2, which must give the projected pooled embedding. */
    private TextEncoder pooledEncoder() {
        TextEncoder encoder = model.textEncoder2();
        if (!encoder.hasPooledOutput()) {
            throw new GenAiException(encoder.file() + " has no output 'text_embeds': SDXL's second text encoder must"
                    + " be CLIPTextModelWithProjection, exported with its projected pooled embedding");
        }
        return encoder;
    }

    private void checkUnet(Unet unet) {
        if (!unet.takesAddedConditioning()) {
            throw new GenAiException(unet.file() + " has no input 'time_ids' (nor 'text_embeds'), so it is not an SDXL"
                    + " UNet, yet " + model.folder().root() + " has text_encoder_2/: SDXL exports take sample,"
                    + " timestep, encoder_hidden_states, text_embeds and time_ids");
        }
        if (unet.timeIdsWidth() > 0 && unet.timeIdsWidth() != TIME_IDS) {
            throw new GenAiException(unet.file() + " takes time_ids of width " + unet.timeIdsWidth() + ", not "
                    + TIME_IDS + " (original size, crop, target size): refiner-style UNets with aesthetic scores are"
                    + " not supported");
        }
    }

    private void checkWidths(Unet unet, Encoded encoded) {
        if (unet.crossAttentionDim() > 0 && unet.crossAttentionDim() != encoded.dim) {
            throw new GenAiException(unet.file() + " attends to text embeddings of width " + unet.crossAttentionDim()
                    + ", but the two text encoders give " + encoded.dim);
        }
        if (unet.textEmbedsWidth() > 0 && unet.textEmbedsWidth() != encoded.pooledDim) {
            throw new GenAiException(unet.file() + " takes text_embeds of width " + unet.textEmbedsWidth()
                    + ", but text_encoder_2 gives " + encoded.pooledDim);
        }
    }


    /** diffusers' {@code a or b}: None and "" both fall back. */
    private static String orElse(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
