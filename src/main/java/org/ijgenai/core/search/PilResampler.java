package org.ijgenai.core.search;

/**
 * Resizes 8-bit RGB images the way Pillow's {@code Image.resize} does ({@code libImaging/Resample.c}), so that
 * CLIP sees the pixels its reference preprocessing produces.
 *
 * <p>Pillow resamples separably, horizontal pass first, with an antialiasing kernel widened by the scale factor
 * when shrinking. Each output sample is a fixed-point sum (22 fractional bits) of integer weights, rounded and
 * clipped to 0–255 after <em>each</em> pass, so the intermediate image is 8-bit too; both details change the
 * result by a grey level here and there and are reproduced on purpose.
 */
public final class PilResampler {

    /** Pillow's PRECISION_BITS for 8-bit images: 32 − 8 − 2. */
    private static final int PRECISION_BITS = 22;

    private PilResampler() {}

    /**
     * Resizes {@code image} to {@code width}×{@code height} with {@code filter}. The same size returns an
     * unchanged copy, as Pillow does.
     */
    public static RgbImage resize(RgbImage image, int width, int height, PilFilter filter) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("target size must be ≥ 1×1, was " + width + "×" + height);
        }
        if (width == image.width() && height == image.height()) {
            return new RgbImage(width, height, image.rgb().clone());
        }
        if (filter == PilFilter.NEAREST) {
            return nearest(image, width, height);
        }
        RgbImage current = image;
        if (width != image.width()) {
            Coefficients horizontal = Coefficients.compute(image.width(), width, filter);
            current = horizontalPass(current, horizontal);
        }
        if (height != image.height()) {
            Coefficients vertical = Coefficients.compute(image.height(), height, filter);
            current = verticalPass(current, vertical);
        }
        return current;
    }

    /**
     * Pillow's NEAREST resize is an affine transform sampling source pixel floor((x + 0.5)·scale) in each axis.
     */
    private static RgbImage nearest(RgbImage in, int width, int height) {
        double sx = (double) in.width() / width;
        double sy = (double) in.height() / height;
        byte[] src = in.rgb();
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            int yi = Math.min(in.height() - 1, (int) ((y + 0.5) * sy));
            for (int x = 0; x < width; x++) {
                int xi = Math.min(in.width() - 1, (int) ((x + 0.5) * sx));
                System.arraycopy(src, (yi * in.width() + xi) * 3, out, (y * width + x) * 3, 3);
            }
        }
        return new RgbImage(width, height, out);
    }

    private static RgbImage horizontalPass(RgbImage in, Coefficients k) {
        int outW = k.outSize;
        int h = in.height();
        byte[] src = in.rgb();
        byte[] out = new byte[outW * h * 3];
        int inRow = in.width() * 3;
        for (int y = 0; y < h; y++) {
            int rowStart = y * inRow;
            for (int x = 0; x < outW; x++) {
                int min = k.bounds[x * 2];
                int count = k.bounds[x * 2 + 1];
                int base = x * k.size;
                int s0 = 1 << (PRECISION_BITS - 1);
                int s1 = s0;
                int s2 = s0;
                for (int i = 0; i < count; i++) {
                    int w = k.weights[base + i];
                    int p = rowStart + (min + i) * 3;
                    s0 += (src[p] & 0xFF) * w;
                    s1 += (src[p + 1] & 0xFF) * w;
                    s2 += (src[p + 2] & 0xFF) * w;
                }
                int o = (y * outW + x) * 3;
                out[o] = clip8(s0);
                out[o + 1] = clip8(s1);
                out[o + 2] = clip8(s2);
            }
        }
        return new RgbImage(outW, h, out);
    }

    private static RgbImage verticalPass(RgbImage in, Coefficients k) {
        int outH = k.outSize;
        int w = in.width();
        byte[] src = in.rgb();
        byte[] out = new byte[w * outH * 3];
        int row = w * 3;
        for (int y = 0; y < outH; y++) {
            int min = k.bounds[y * 2];
            int count = k.bounds[y * 2 + 1];
            int base = y * k.size;
            for (int x = 0; x < w; x++) {
                int s0 = 1 << (PRECISION_BITS - 1);
                int s1 = s0;
                int s2 = s0;
                for (int i = 0; i < count; i++) {
                    int wt = k.weights[base + i];
                    int p = (min + i) * row + x * 3;
                    s0 += (src[p] & 0xFF) * wt;
                    s1 += (src[p + 1] & 0xFF) * wt;
                    s2 += (src[p + 2] & 0xFF) * wt;
                }
                int o = (y * w + x) * 3;
                out[o] = clip8(s0);
                out[o + 1] = clip8(s1);
                out[o + 2] = clip8(s2);
            }
        }
        return new RgbImage(w, outH, out);
    }

    /** Pillow's clip8: an arithmetic shift drops the fraction (the ½ was added up front), then clamp. */
    private static byte clip8(int sum) {
        int v = sum >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** The per-output-pixel source windows and fixed-point weights of one axis (Pillow's precompute_coeffs). */
    static final class Coefficients {
        final int outSize;
        final int size;
        final int[] bounds;
        final int[] weights;
        final double[] exact;

        private Coefficients(int outSize, int size, int[] bounds, int[] weights, double[] exact) {
            this.outSize = outSize;
            this.size = size;
            this.bounds = bounds;
            this.weights = weights;
            this.exact = exact;
        }

        static Coefficients compute(int inSize, int outSize, PilFilter filter) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support() * filterScale;
            int size = (int) Math.ceil(support) * 2 + 1;
            int[] bounds = new int[outSize * 2];
            double[] exact = new double[outSize * size];
            int[] weights = new int[outSize * size];
            double invFilterScale = 1.0 / filterScale;
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                // C's (int) truncates towards zero, as Java's cast does; Pillow relies on that for "rounding".
                int min = (int) (center - support + 0.5);
                if (min < 0) {
                    min = 0;
                }
                int max = (int) (center + support + 0.5);
                if (max > inSize) {
                    max = inSize;
                }
                int count = max - min;
                double total = 0.0;
                for (int x = 0; x < count; x++) {
                    double w = filter.weight((x + min - center + 0.5) * invFilterScale);
                    exact[xx * size + x] = w;
                    total += w;
                }
                for (int x = 0; x < count; x++) {
                    if (total != 0.0) {
                        exact[xx * size + x] /= total;
                    }
                }
                for (int x = 0; x < size; x++) {
                    double w = exact[xx * size + x];
                    weights[xx * size + x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                            : (int) (0.5 + w * (1 << PRECISION_BITS));
                }
                bounds[xx * 2] = min;
                bounds[xx * 2 + 1] = count;
            }
            return new Coefficients(outSize, size, bounds, weights, exact);
        }
    }
}
