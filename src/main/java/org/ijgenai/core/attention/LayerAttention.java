package org.ijgenai.core.attention;

/**
 * One cross-attention layer's probabilities at one denoising step, for the images of the prompt (the conditional
 * half of a guided batch): how much each latent position (query) attends to each text token (key).
 *
 * @param layer the layer's name in the UNet graph
 * @param heads the number of heads kept (1 when the capture averaged them)
 * @param height the layer's grid height (the latent height divided by its downsampling, rounded up)
 * @param width the layer's grid width
 * @param probabilities [images, heads, height·width, keys], row-major
 */
public record LayerAttention(String layer, int images, int heads, int height, int width, int keys,
        float[] probabilities) {

    /** Validates the sizes. */
    public LayerAttention {
        long expected = (long) images * heads * height * width * keys;
        if (probabilities.length != expected) {
            throw new IllegalArgumentException(layer + ": " + probabilities.length + " probabilities for " + images
                    + " images × " + heads + " heads × " + height + "×" + width + " queries × " + keys + " keys");
        }
    }

    /** The map of one image, head and key (token) as a [height, width] plane. */
    public float[] map(int image, int head, int key) {
        int queries = height * width;
        float[] plane = new float[queries];
        int base = (image * heads + head) * queries * keys;
        for (int q = 0; q < queries; q++) {
            plane[q] = probabilities[base + q * keys + key];
        }
        return plane;
    }

    /** The layer's downsampling of the latent grid (1, 2, 4, …), as DAAM's "factor" counts it for square latents. */
    public int factor(int latentHeight) {
        return Math.max(1, Math.round((float) latentHeight / height));
    }
}
