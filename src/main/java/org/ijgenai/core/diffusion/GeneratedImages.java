package org.ijgenai.core.diffusion;

import java.util.List;
import java.util.Map;

/**
 * The output of one generation: RGB images in [0, 1] (planar [3, H, W], before 8-bit quantisation) and the
 * parameters that reproduce them, seed and scheduler resolved.
 *
 * @param parameters the request described as text, with the model, the resolved scheduler and, for img2img, the
 *     init image's source
 * @param seconds the wall time of the generation
 * @param timings how the denoising loop's time divides between the UNet and everything else
 */
public record GeneratedImages(GenerationRequest request, List<float[]> images, int width, int height,
        Map<String, String> parameters, double seconds, StepTimings timings) {

    /** Copies the image list so the record stays immutable. */
    public GeneratedImages {
        images = List.copyOf(images);
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }

    /** The number of images. */
    public int count() {
        return images.size();
    }

    /** One image as packed 0xRRGGBB pixels, row by row, each channel round(255·x) as numpy rounds (half to even). */
    public int[] rgb(int index) {
        return toRgb(images.get(index), width, height);
    }

    /** Packs a planar [3, H, W] image in [0, 1] into 0xRRGGBB pixels, rounding half to even like numpy. */
    public static int[] toRgb(float[] planar, int width, int height) {
        int plane = width * height;
        int[] pixels = new int[plane];
        for (int i = 0; i < plane; i++) {
            int r = quantise(planar[i]);
            int g = quantise(planar[plane + i]);
            int b = quantise(planar[2 * plane + i]);
            pixels[i] = (r << 16) | (g << 8) | b;
        }
        return pixels;
    }

    private static int quantise(float value) {
        float clipped = Math.max(0f, Math.min(1f, value));
        return (int) Math.rint(clipped * 255f);
    }
}
