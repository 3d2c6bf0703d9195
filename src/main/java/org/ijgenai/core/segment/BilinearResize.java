package org.ijgenai.core.segment;

/**
 * Bilinear resizing of one float plane with half-pixel centres and clamped borders: plain, as PyTorch's
 * {@code interpolate(mode="bilinear", align_corners=False)} and OpenCV's {@code INTER_LINEAR}; or antialiased, where
 * the triangle filter is widened by the scale factor when shrinking so every input pixel contributes (PIL's
 * BILINEAR and PyTorch's {@code antialias=True}).
 */
public final class BilinearResize {

    private BilinearResize() {}

    /** Resizes a row-major {@code width×height} plane to {@code newWidth×newHeight}. */
    public static float[] resize(float[] plane, int width, int height, int newWidth, int newHeight,
            boolean antialias) {
        if (width == newWidth && height == newHeight) {
            return plane.clone();
        }
        Taps horizontal = taps(width, newWidth, antialias);
        Taps vertical = taps(height, newHeight, antialias);
        float[] rows = new float[newWidth * height];
        for (int y = 0; y < height; y++) {
            int in = y * width;
            int out = y * newWidth;
            for (int x = 0; x < newWidth; x++) {
                double sum = 0;
                int first = horizontal.first[x];
                double[] w = horizontal.weights[x];
                for (int k = 0; k < w.length; k++) {
                    sum += w[k] * plane[in + first + k];
                }
                rows[out + x] = (float) sum;
            }
        }
        float[] result = new float[newWidth * newHeight];
        for (int y = 0; y < newHeight; y++) {
            int first = vertical.first[y];
            double[] w = vertical.weights[y];
            int out = y * newWidth;
            for (int x = 0; x < newWidth; x++) {
                double sum = 0;
                for (int k = 0; k < w.length; k++) {
                    sum += w[k] * rows[(first + k) * newWidth + x];
                }
                result[out + x] = (float) sum;
            }
        }
        return result;
    }

    private record Taps(int[] first, double[][] weights) {
    }

    private static Taps taps(int inSize, int outSize, boolean antialias) {
        double scale = (double) inSize / outSize;
        // Support of the triangle filter in input pixels: 1 (the two nearest pixels), or the scale when an
        // antialiased resize shrinks.
        double stretch = antialias && scale > 1 ? scale : 1;
        double support = stretch;
        int[] first = new int[outSize];
        double[][] weights = new double[outSize][];
        for (int i = 0; i < outSize; i++) {
            double centre = scale * (i + 0.5);
            int from = Math.max(0, (int) Math.floor(centre - support + 0.5));
            int to = Math.min(inSize, (int) Math.floor(centre + support + 0.5));
            double[] w = new double[Math.max(0, to - from)];
            double total = 0;
            for (int j = from; j < to; j++) {
                double d = Math.abs((j + 0.5 - centre) / stretch);
                w[j - from] = d < 1 ? 1 - d : 0;
                total += w[j - from];
            }
            for (int k = 0; k < w.length; k++) {
                w[k] /= total;
            }
            first[i] = from;
            weights[i] = w;
        }
        return new Taps(first, weights);
    }
}
