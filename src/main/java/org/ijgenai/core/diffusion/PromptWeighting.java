package org.ijgenai.core.diffusion;

import org.ijgenai.core.text.Emphasis;

/**
 * Applies per-token prompt weights to one chunk's hidden states z [77, D], computed in double and rounded once to
 * float32 (A1111 and ComfyUI compute in the text encoder's dtype; the mean ratio is ill-conditioned where the
 * chunk's mean is near 0, so double keeps the result the formula's):
 * <ul>
 * <li>Original (A1111's {@code EmphasisOriginal}): z·w per token, then the whole chunk times
 * mean(z) / mean(z·w), so that its mean is unchanged (A1111 takes the mean over the chunk's batch; over one
 * prompt's chunk here, the same value whenever the batch holds one prompt);</li>
 * <li>No norm: z·w alone;</li>
 * <li>Comfy (ComfyUI's {@code encode_token_weights}): z_empty + (z − z_empty)·w for tokens whose weight is not 1,
 * z_empty being the empty prompt's hidden states at the same position.</li>
 * </ul>
 */
final class PromptWeighting {

    private PromptWeighting() {
    }

    /** The weighted copy of {@code z}; {@code empty} is needed for Comfy only. */
    static float[] apply(Emphasis emphasis, float[] z, double[] weights, int dim, float[] empty) {
        float[] out = new float[z.length];
        switch (emphasis) {
            case ORIGINAL:
            case NO_NORM:
                double factor = 1;
                if (emphasis == Emphasis.ORIGINAL) {
                    double before = 0;
                    double after = 0;
                    for (int i = 0; i < z.length; i++) {
                        before += z[i];
                        after += z[i] * weights[i / dim];
                    }
                    factor = before / after;
                }
                for (int i = 0; i < z.length; i++) {
                    out[i] = (float) (z[i] * weights[i / dim] * factor);
                }
                return out;
            case COMFY:
                for (int t = 0; t < weights.length; t++) {
                    for (int d = 0; d < dim; d++) {
                        int i = t * dim + d;
                        out[i] = weights[t] == 1.0 ? z[i] : (float) (empty[i] + (z[i] - (double) empty[i]) * weights[t]);
                    }
                }
                return out;
            default:
                return z.clone();
        }
    }
}
