package org.ijgenai.core.attention;

import java.util.List;
import java.util.Set;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.TorchBicubic;

/**
 * DAAM's aggregation of cross-attention into one heat map per token (Tang et al. 2023, "What the DAAM",
 * {@code trace.compute_global_heat_map}): per layer and head, the maps of the chosen steps are summed; each token's
 * summed map is upsampled bicubically from the layer's grid to the latent grid and clamped at 0; the mean over all
 * layers and heads is the token's heat map. Optionally the maps are normalised across the prompt's tokens at each
 * position. A word's map is the mean of its sub-word tokens' maps ({@code compute_word_heat_map}), and it is shown
 * at the image's size by one more bicubic upsampling ({@code WordHeatMap.expand_as}).
 *
 * <p>Differences that are choices: latents need not be square (each layer's grid is the latent grid halved, rounding
 * up); every layer is used unless {@link Selection#factors} restricts them (DAAM's default skips the factor-8 maps,
 * 8×8 at 512×512); and a capture that averaged the heads in the graph clamps the head mean rather than each head
 * (the same when no head undershoots, which only happens next to sharp edges).
 */
public final class DaamHeatMaps {

    /** DAAM's guard against dividing by zero where no token has any attention. */
    static final float EPSILON = 1e-6f;

    /**
     * Which maps go into the aggregate.
     *
     * @param steps the 1-based step indices to sum, or empty for every step
     * @param factors the layer downsampling factors (1, 2, 4, …) to use, or empty for every layer
     * @param normalize whether to divide each position by the sum over the prompt's tokens (DAAM's {@code normalize})
     */
    public record Selection(Set<Integer> steps, Set<Integer> factors, boolean normalize) {

        /** Every step and every layer, not normalised (DAAM's defaults, except that it skips factor 8). */
        public static final Selection ALL = new Selection(Set.of(), Set.of(), false);

        /** The same selection for one step only. */
        public Selection onlyStep(int step) {
            return new Selection(Set.of(step), factors, normalize);
        }
    }

    private DaamHeatMaps() {
    }

    /**
     * The heat maps of the first {@code promptTokens + 2} tokens (start token, the prompt's tokens, the first end
     * token), as DAAM keeps them, on the latent grid.
     *
     * @return [token][latentHeight · latentWidth]
     * @throws GenAiException when the selection leaves no map
     */
    public static float[][] tokenMaps(List<AttentionStep> steps, int image, int latentHeight, int latentWidth,
            int promptTokens, Selection selection) {
        if (steps.isEmpty()) {
            throw new GenAiException("no attention was recorded");
        }
        List<LayerAttention> first = steps.get(0).layers();
        int keys = first.get(0).keys();
        int tokens = Math.min(promptTokens + 2, keys);
        int plane = latentHeight * latentWidth;
        float[][] sum = new float[tokens][plane];
        int count = 0;
        for (int l = 0; l < first.size(); l++) {
            LayerAttention shape = first.get(l);
            if (!selection.factors().isEmpty() && !selection.factors().contains(shape.factor(latentHeight))) {
                continue;
            }
            float[][] summed = summedOverSteps(steps, l, image, selection.steps());
            if (summed == null) {
                continue;
            }
            for (int head = 0; head < shape.heads(); head++) {
                for (int token = 0; token < tokens; token++) {
                    float[] map = column(summed[head], shape.height() * shape.width(), keys, token);
                    float[] up = TorchBicubic.resize(map, shape.height(), shape.width(), latentHeight, latentWidth);
                    float[] into = sum[token];
                    for (int i = 0; i < plane; i++) {
                        into[i] += Math.max(0f, up[i]);
                    }
                }
                count++;
            }
        }
        if (count == 0) {
            throw new GenAiException("no attention maps match the chosen steps " + selection.steps() + " and layer"
                    + " factors " + selection.factors());
        }
        for (float[] map : sum) {
            for (int i = 0; i < plane; i++) {
                map[i] /= count;
            }
        }
        if (selection.normalize()) {
            normalizeAcrossTokens(sum, tokens);
        }
        return sum;
    }

    /** Per head, the sum over the chosen steps of one layer's [queries, keys] probabilities, or null for none. */
    private static float[][] summedOverSteps(List<AttentionStep> steps, int layer, int image, Set<Integer> chosen) {
        float[][] summed = null;
        for (AttentionStep step : steps) {
            if (!chosen.isEmpty() && !chosen.contains(step.index())) {
                continue;
            }
            LayerAttention a = step.layers().get(layer);
            int perHead = a.height() * a.width() * a.keys();
            if (summed == null) {
                summed = new float[a.heads()][perHead];
            }
            for (int head = 0; head < a.heads(); head++) {
                int base = (image * a.heads() + head) * perHead;
                float[] into = summed[head];
                for (int i = 0; i < perHead; i++) {
                    into[i] += a.probabilities()[base + i];
                }
            }
        }
        return summed;
    }

    private static float[] column(float[] queriesByKeys, int queries, int keys, int key) {
        float[] out = new float[queries];
        for (int q = 0; q < queries; q++) {
            out[q] = queriesByKeys[q * keys + key];
        }
        return out;
    }

    /** DAAM: maps / (sum of the prompt tokens' maps, without the start and end tokens, + 1e-6). */
    private static void normalizeAcrossTokens(float[][] maps, int tokens) {
        int plane = maps[0].length;
        for (int i = 0; i < plane; i++) {
            float total = 0;
            for (int t = 1; t < tokens - 1; t++) {
                total += maps[t][i];
            }
            float denominator = total + EPSILON;
            for (float[] map : maps) {
                map[i] /= denominator;
            }
        }
    }

    /** A word's map: the mean of its tokens' maps (positions counted with the start token as 0). */
    public static float[] wordMap(float[][] tokenMaps, int[] positions) {
        if (positions.length == 0) {
            throw new IllegalArgumentException("a word needs at least one token position");
        }
        float[] out = new float[tokenMaps[0].length];
        for (int p : positions) {
            if (p < 0 || p >= tokenMaps.length) {
                throw new IllegalArgumentException("token position " + p + " is outside the " + tokenMaps.length
                        + " maps");
            }
            for (int i = 0; i < out.length; i++) {
                out[i] += tokenMaps[p][i];
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= positions.length;
        }
        return out;
    }

    /** A latent-grid map at the image's size, bicubic as DAAM's {@code expand_as}, not clamped or rescaled. */
    public static float[] expand(float[] map, int latentHeight, int latentWidth, int height, int width) {
        return TorchBicubic.resize(map, latentHeight, latentWidth, height, width);
    }

    /** (x − min) / (max − min + 1e-8), DAAM's display scaling of a word's map. */
    public static float[] minMax(float[] map) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float[] out = new float[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = (map[i] - min) / (max - min + 1e-8f);
        }
        return out;
    }
}
