package org.ijgenai.core.diffusion;

import java.util.List;

import org.ijgenai.core.diffusion.network.TextEncoder;
import org.ijgenai.core.diffusion.network.UnetConditioning;
import org.ijgenai.core.tensor.Tensor;
import org.ijgenai.core.text.ClipTokenizer;

/**
 * Stable Diffusion 1.x/2.x prompt encoding as diffusers' ONNX pipelines' {@code _encode_prompt} does it: each
 * prompt's last hidden states from the CLIP text encoder, repeated per image, preceded under guidance by the
 * negative prompt's (or ""'s).
 */
public final class ClipPromptEncoder implements PromptEncoder {

    private final ClipTokenizer tokenizer;
    private final TextEncoder encoder;

    /** An encoder over a model's tokenizer and text encoder. */
    public ClipPromptEncoder(ClipTokenizer tokenizer, TextEncoder encoder) {
        this.tokenizer = tokenizer;
        this.encoder = encoder;
    }

    @Override
    public UnetConditioning encode(GenerationRequest request, boolean guided) {
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
            return UnetConditioning.ofText(Tensor.ofFloats(pos, batch, length, dim));
        }
        String negative = request.negativePrompt() == null ? "" : request.negativePrompt();
        int[][] negIds = new int[prompts.size()][];
        for (int i = 0; i < negIds.length; i++) {
            negIds[i] = tokenizer.encode(negative).ids();
        }
        float[] neg = repeat(encoder.encode(negIds).floats(), prompts.size(), request.imagesPerPrompt());
        return UnetConditioning.ofText(Tensor.ofFloats(concat(neg, pos), 2L * batch, length, dim));
    }

    /** numpy's {@code np.repeat(x, times, axis=0)}: each row repeated consecutively. */
    static float[] repeat(float[] rows, int count, int times) {
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

    /** The negative half followed by the positive half: diffusers' {@code torch.cat([negative, positive])}. */
    static float[] concat(float[] first, float[] second) {
        float[] both = new float[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
