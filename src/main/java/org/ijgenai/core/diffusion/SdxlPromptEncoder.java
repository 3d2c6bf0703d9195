package org.ijgenai.core.diffusion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.network.TextEncoder;
import org.ijgenai.core.diffusion.network.Unet;
import org.ijgenai.core.diffusion.network.UnetConditioning;
import org.ijgenai.core.tensor.Tensor;
import org.ijgenai.core.text.ClipTokenizer;

/**
 * SDXL prompt encoding as diffusers' {@code StableDiffusionXLPipeline.encode_prompt} and {@code _get_add_time_ids}
 * do it: the penultimate hidden states of both text encoders concatenated on the feature axis, the pooled
 * {@code text_embeds} of the second, and the time ids (original size, crop top-left, target size), each repeated
 * per image and preceded under guidance by the negative half.
 *
 * <p>The negative half follows diffusers exactly: with the model's {@code force_zeros_for_empty_prompt}, no negative
 * prompt (null) gives zeros for both the embeddings and the pooled embedding, while an explicit "" is encoded like
 * any text. {@code prompt_2} and {@code negative_prompt_2} feed the second encoder, defaulting (when null or "") to
 * the first ones.
 */
public final class SdxlPromptEncoder implements PromptEncoder {

    /** diffusers' {@code add_time_ids}: original (h, w), crop top-left (0, 0), target (h, w). */
    static final int TIME_IDS = 6;

    private final StableDiffusionModel model;

    /** An encoder over an opened SDXL model's tokenizers, text encoders and UNet. */
    public SdxlPromptEncoder(StableDiffusionModel model) {
        this.model = model;
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
        List<String> prompts = request.prompts();
        List<String> prompts2 = new ArrayList<>(prompts.size());
        for (String prompt : prompts) {
            prompts2.add(orElse(request.prompt2(), prompt));
        }
        Encoded positive = encodeBoth(prompts, prompts2);
        int images = request.imagesPerPrompt();
        int batch = request.batchSize();
        float[] hidden = ClipPromptEncoder.repeat(positive.hidden, prompts.size(), images);
        float[] pooled = ClipPromptEncoder.repeat(positive.pooled, prompts.size(), images);
        int rows = batch;
        if (guided) {
            float[] negHidden;
            float[] negPooled;
            if ("zeros".equals(negativeEmbeddings(request, true, model.folder()))) {
                negHidden = new float[hidden.length];
                negPooled = new float[pooled.length];
            } else {
                String negative = orElse(request.negativePrompt(), "");
                String negative2 = orElse(request.negativePrompt2(), negative);
                Encoded encoded = encodeBoth(copies(negative, prompts.size()), copies(negative2, prompts.size()));
                negHidden = ClipPromptEncoder.repeat(encoded.hidden, prompts.size(), images);
                negPooled = ClipPromptEncoder.repeat(encoded.pooled, prompts.size(), images);
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

    private Encoded encodeBoth(List<String> texts, List<String> texts2) {
        TextEncoder first = model.textEncoder();
        TextEncoder second = model.textEncoder2();
        if (!second.hasPooledOutput()) {
            throw new GenAiException(second.file() + " has no output 'text_embeds': SDXL's second text encoder must"
                    + " be CLIPTextModelWithProjection, exported with its projected pooled embedding");
        }
        TextEncoder.LayerOutputs one = first.encodeLayers(ids(model.tokenizer(), texts));
        TextEncoder.LayerOutputs two = second.encodeLayers(ids(model.tokenizer2(), texts2));
        Tensor a = one.penultimate();
        Tensor b = two.penultimate();
        int rows = texts.size();
        int length = (int) a.dim(1);
        if (b.dim(1) != length) {
            throw new GenAiException(second.file() + " returned " + b.dim(1) + " tokens where " + first.file()
                    + " returned " + length);
        }
        int da = (int) a.dim(2);
        int db = (int) b.dim(2);
        float[] fa = a.floats();
        float[] fb = b.floats();
        float[] both = new float[rows * length * (da + db)];
        for (int t = 0; t < rows * length; t++) {
            System.arraycopy(fa, t * da, both, t * (da + db), da);
            System.arraycopy(fb, t * db, both, t * (da + db) + da, db);
        }
        Tensor pooled = two.pooled();
        return new Encoded(both, length, da + db, pooled.floats(), (int) pooled.dim(1));
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

    private static int[][] ids(ClipTokenizer tokenizer, List<String> texts) {
        int[][] ids = new int[texts.size()][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenizer.encode(texts.get(i)).ids();
        }
        return ids;
    }

    private static List<String> copies(String text, int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(text);
        }
        return out;
    }

    /** diffusers' {@code a or b}: None and "" both fall back. */
    private static String orElse(String value, String fallback) {
        return value == null || value.isEmpty() ? fallback : value;
    }
}
