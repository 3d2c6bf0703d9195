package org.ijgenai.core.diffusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ijgenai.core.diffusion.network.UnetConditioning;
import org.ijgenai.core.tensor.Slerp;
import org.ijgenai.core.tensor.Tensor;

/**
 * One position of a prompt walk: the conditional text embeddings interpolated linearly, (1−t)·E(from) + t·E(to),
 * with the negative half of a guided batch left as it is (both prompts share the negative prompt). Every tensor of
 * the conditional half is interpolated, so SDXL's pooled {@code text_embeds} move with its hidden states (its
 * {@code time_ids} are equal in both and stay so). Prompts of different chunk counts are both padded with A1111's
 * empty chunk to the longer one; at t = 0 a walk runs the plain generation instead, so its endpoints are exactly
 * the plain pictures of their prompts.
 *
 * @param from the prompt at t = 0
 * @param to the prompt at t = 1
 * @param position t in [0, 1]
 */
public record PromptBlend(String from, String to, double position) {

    /** Checks the prompts and the position. */
    public PromptBlend {
        if (from == null || from.isBlank() || to == null || to.isBlank()) {
            throw new IllegalArgumentException("a prompt walk needs two non-empty prompts");
        }
        if (!(position >= 0 && position <= 1)) {
            throw new IllegalArgumentException("prompt walk position must be in [0, 1], was " + position);
        }
    }

    /** The encoder that encodes both prompts with {@code plain} (for every prompt of the request) and blends them. */
    public PromptEncoder over(PromptEncoder plain) {
        return (request, guided) -> encode(plain, request, guided);
    }

    /** The blended conditioning of {@code request}, whose prompts are all replaced by {@link #from} and {@link #to}. */
    UnetConditioning encode(PromptEncoder plain, GenerationRequest request, boolean guided) {
        GenerationRequest a = request.withPrompts(copies(from, request.prompts().size()));
        GenerationRequest b = request.withPrompts(copies(to, request.prompts().size()));
        int chunks = Math.max(plain.chunks(a, guided), plain.chunks(b, guided));
        return lerp(plain.encode(a, guided, chunks), plain.encode(b, guided, chunks), position, guided);
    }

    /**
     * (1−t)·a + t·b for the conditional rows of every tensor (all rows, or the second half when {@code guided}),
     * the negative rows and the LCM guidance embedding taken from {@code a}.
     *
     * @throws IllegalArgumentException when the two conditionings differ in shape
     */
    static UnetConditioning lerp(UnetConditioning a, UnetConditioning b, double t, boolean guided) {
        Map<String, Tensor> extras = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : a.extraInputs().entrySet()) {
            Tensor other = b.extraInputs().get(e.getKey());
            if (other == null) {
                throw new IllegalArgumentException("the second prompt's conditioning lacks " + e.getKey());
            }
            extras.put(e.getKey(), lerpRows(e.getValue(), other, t, guided));
        }
        return new UnetConditioning(lerpRows(a.hiddenStates(), b.hiddenStates(), t, guided), a.guidanceEmbedding(),
                extras);
    }

    private static Tensor lerpRows(Tensor a, Tensor b, double t, boolean guided) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("cannot interpolate text embeddings of shapes "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        float[] x = a.floats();
        float[] y = b.floats();
        int first = guided ? x.length / 2 : 0;
        float[] mixed = Slerp.lerp(Arrays.copyOfRange(x, first, x.length),
                Arrays.copyOfRange(y, first, y.length), t);
        float[] out = x.clone();
        System.arraycopy(mixed, 0, out, first, mixed.length);
        return Tensor.ofFloats(out, a.shape());
    }

    /** Records the blend with the run's parameters: the prompt walked to and the position. */
    public void describe(Map<String, String> parameters) {
        if (position > 0) {
            parameters.put("prompt_to", to);
            parameters.put("prompt_walk", String.format(Locale.ROOT, "lerp of the text embeddings t=%s", position));
        }
    }

    private static List<String> copies(String text, int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(text);
        }
        return out;
    }
}
