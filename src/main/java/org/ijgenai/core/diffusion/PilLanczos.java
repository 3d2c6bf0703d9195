package org.ijgenai.core.diffusion;

/**
 * Resizes 8-bit RGB images exactly as Pillow's {@code Image.resize(size, LANCZOS)} does (its separable two-pass
 * convolution with 22-bit fixed-point coefficients), so img2img init images match diffusers' preprocessing.
 */
public final class PilLanczos {

    /** Pillow's fixed-point precision for 8-bit images: 32 − 8 − 2 bits. */
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 3.0;

    private PilLanczos() {}

    /**
     * Resizes interleaved RGB bytes (row-major, 3 per pixel).
     *
     * @return the resized interleaved RGB bytes, or a copy when the size does not change (Pillow copies too)
     */
    public static byte[] resize(byte[] rgb, int width, int height, int newWidth, int newHeight) {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " bytes, got " + rgb.length);
        }
        if (newWidth < 1 || newHeight < 1) {
            throw new IllegalArgumentException("target size must be positive, was " + newWidth + "×" + newHeight);
        }
        if (newWidth == width && newHeight == height) {
            return rgb.clone();
        }
        byte[] current = rgb;
        int currentWidth = width;
        int currentHeight = height;
        Coefficients vertical = newHeight != height ? new Coefficients(height, newHeight) : null;
        if (newWidth != width) {
            // Pillow resamples horizontally only the rows the vertical pass will read.
            int firstRow = 0;
            int lastRow = height;
            if (vertical != null) {
                firstRow = vertical.bounds[0];
                lastRow = vertical.bounds[(newHeight - 1) * 2] + vertical.bounds[(newHeight - 1) * 2 + 1];
            }
            current = horizontal(current, currentWidth, firstRow, lastRow, new Coefficients(width, newWidth));
            currentWidth = newWidth;
            currentHeight = lastRow - firstRow;
            if (vertical != null) {
                for (int i = 0; i < newHeight; i++) {
                    vertical.bounds[i * 2] -= firstRow;
                }
            }
        }
        if (vertical != null) {
            current = vertical(current, currentWidth, vertical);
            currentHeight = newHeight;
        }
        assert currentHeight == newHeight;
        return current;
    }

    private static byte[] horizontal(byte[] in, int inWidth, int firstRow, int lastRow, Coefficients c) {
        int outWidth = c.outSize;
        byte[] out = new byte[(lastRow - firstRow) * outWidth * 3];
        for (int y = firstRow; y < lastRow; y++) {
            int rowIn = y * inWidth * 3;
            int rowOut = (y - firstRow) * outWidth * 3;
            for (int x = 0; x < outWidth; x++) {
                int min = c.bounds[x * 2];
                int count = c.bounds[x * 2 + 1];
                int k = x * c.kernelSize;
                for (int ch = 0; ch < 3; ch++) {
                    int sum = 1 << (PRECISION_BITS - 1);
                    for (int i = 0; i < count; i++) {
                        sum += (in[rowIn + (min + i) * 3 + ch] & 0xFF) * c.fixed[k + i];
                    }
                    out[rowOut + x * 3 + ch] = clip8(sum);
                }
            }
        }
        return out;
    }

    private static byte[] vertical(byte[] in, int width, Coefficients c) {
        int outHeight = c.outSize;
        byte[] out = new byte[outHeight * width * 3];
        for (int y = 0; y < outHeight; y++) {
            int min = c.bounds[y * 2];
            int count = c.bounds[y * 2 + 1];
            int k = y * c.kernelSize;
            for (int x = 0; x < width; x++) {
                for (int ch = 0; ch < 3; ch++) {
                    int sum = 1 << (PRECISION_BITS - 1);
                    for (int i = 0; i < count; i++) {
                        sum += (in[((min + i) * width + x) * 3 + ch] & 0xFF) * c.fixed[k + i];
                    }
                    out[(y * width + x) * 3 + ch] = clip8(sum);
                }
            }
        }
        return out;
    }

    private static byte clip8(int value) {
        int shifted = value >> PRECISION_BITS;
        return (byte) (shifted < 0 ? 0 : Math.min(shifted, 255));
    }

    private static double lanczos(double x) {
        if (-SUPPORT <= x && x < SUPPORT) {
            return sinc(x) * sinc(x / SUPPORT);
        }
        return 0.0;
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        x *= Math.PI;
        return Math.sin(x) / x;
    }

    /** Pillow's {@code precompute_coeffs} and {@code normalize_coeffs_8bpc} for one axis. */
    private static final class Coefficients {
        final int outSize;
        final int kernelSize;
        final int[] bounds;
        final int[] fixed;

        Coefficients(int inSize, int outSize) {
            this.outSize = outSize;
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = SUPPORT * filterScale;
            kernelSize = (int) Math.ceil(support) * 2 + 1;
            bounds = new int[outSize * 2];
            fixed = new int[outSize * kernelSize];
            double[] weights = new double[kernelSize];
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                double sum = 0.0;
                double ss = 1.0 / filterScale;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) {
                    xmin = 0;
                }
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) {
                    xmax = inSize;
                }
                xmax -= xmin;
                for (int x = 0; x < xmax; x++) {
                    double w = lanczos((x + xmin - center + 0.5) * ss);
                    weights[x] = w;
                    sum += w;
                }
                for (int x = 0; x < xmax; x++) {
                    double w = sum != 0.0 ? weights[x] / sum : weights[x];
                    fixed[xx * kernelSize + x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                            : (int) (0.5 + w * (1 << PRECISION_BITS));
                }
                bounds[xx * 2] = xmin;
                bounds[xx * 2 + 1] = xmax;
            }
        }
    }
}
