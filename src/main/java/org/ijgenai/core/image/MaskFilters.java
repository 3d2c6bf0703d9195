package org.ijgenai.core.image;

/**
 * Morphology and blurs of single-channel masks in [0, 1] (row-major float[], 1 = selected), with the kernels and
 * borders of Acly's comfyui-inpaint-nodes ({@code binary_dilation}, {@code binary_erosion}, {@code mask_blur}),
 * which Krita AI Diffusion uses to grow, feather and blend selections.
 */
public final class MaskFilters {

    private MaskFilters() {}

    /**
     * Binary dilation by a (2r+1)² square: 1 wherever any pixel of the window is above 0, with 0 outside the image
     * (kornia's separable filter with a constant border, then {@code > 0}).
     */
    public static float[] dilate(float[] mask, int width, int height, int radius) {
        check(mask, width, height);
        if (radius <= 0) {
            return binary(mask, 0f);
        }
        boolean[] on = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            on[i] = mask[i] > 0f;
        }
        return toFloats(squareAny(on, width, height, radius));
    }

    /**
     * Binary erosion by a (2r+1)² square: 1 where every pixel of the window is 1, the outside of the image counting
     * as 1 (comfyui-inpaint-nodes pads with 1 so that a selection touching the border is not eaten from it).
     */
    public static float[] erode(float[] mask, int width, int height, int radius) {
        check(mask, width, height);
        if (radius <= 0) {
            return binary(mask, 0.999f);
        }
        // Erosion is the complement of dilating the complement; the padding of 1 becomes a padding of 0 there.
        boolean[] off = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            off[i] = !(mask[i] >= 1f);
        }
        boolean[] grown = squareAny(off, width, height, radius);
        float[] out = new float[mask.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = grown[i] ? 0f : 1f;
        }
        return out;
    }

    /** 1 where the mask is above {@code threshold}, else 0 (ComfyUI's {@code ThresholdMask}). */
    public static float[] threshold(float[] mask, float threshold) {
        return binary(mask, threshold);
    }

    /** comfyui-inpaint-nodes' {@code make_odd}: even positive sizes grow by one. */
    public static int makeOdd(int size) {
        return size > 0 && size % 2 == 0 ? size + 1 : size;
    }

    /**
     * The "linear" (tent) blur of comfyui-inpaint-nodes with kernel size {@code makeOdd(size)}: weights 1/h … (h−1)/h,
     * 1, (h−1)/h … 1/h for h = size / 2, normalised; sizes up to 3 are a 3-tap box. Reflecting border. Sizes of 2
     * or less leave the mask as it is.
     */
    public static float[] blurLinear(float[] mask, int width, int height, int size) {
        check(mask, width, height);
        int n = makeOdd(size);
        if (n <= 2) {
            return mask.clone();
        }
        double[] kernel = new double[n];
        if (n == 3) {
            java.util.Arrays.fill(kernel, 1.0 / 3);
        } else {
            int h = n / 2;
            // torch.linspace(1/h, (h−1)/h, h): h evenly spaced values, then the centre 1, then the mirror.
            for (int i = 0; i < h; i++) {
                double v = h == 1 ? 1.0 / h : 1.0 / h + i * ((h - 1.0) / h - 1.0 / h) / (h - 1);
                kernel[i] = v;
                kernel[n - 1 - i] = v;
            }
            kernel[h] = 1;
            normalise(kernel);
        }
        return separable(mask, width, height, kernel);
    }

    /**
     * kornia's {@code gaussian_blur2d} with kernel size {@code makeOdd(size)} and OpenCV's σ = 0.3·(size − 1) + 0.8,
     * reflecting border, as comfyui-inpaint-nodes' gaussian {@code mask_blur}. Sizes of 2 or less leave the mask.
     */
    public static float[] blurGaussian(float[] mask, int width, int height, int size) {
        check(mask, width, height);
        int n = makeOdd(size);
        if (n <= 2) {
            return mask.clone();
        }
        double sigma = 0.3 * (n - 1) + 0.8;
        double[] kernel = new double[n];
        for (int i = 0; i < n; i++) {
            double x = i - n / 2;
            kernel[i] = Math.exp(-x * x / (2 * sigma * sigma));
        }
        normalise(kernel);
        return separable(mask, width, height, kernel);
    }

    /** The bounding box {x1, y1, x2, y2} (exclusive ends) of the pixels above 0, or null when there are none. */
    public static int[] bounds(float[] mask, int width, int height) {
        check(mask, width, height);
        int x1 = width;
        int y1 = height;
        int x2 = -1;
        int y2 = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (mask[y * width + x] > 0f) {
                    x1 = Math.min(x1, x);
                    x2 = Math.max(x2, x);
                    y1 = Math.min(y1, y);
                    y2 = Math.max(y2, y);
                }
            }
        }
        return x2 < 0 ? null : new int[] {x1, y1, x2 + 1, y2 + 1};
    }

    private static boolean[] squareAny(boolean[] on, int width, int height, int radius) {
        // Separable: a square window holds a set pixel iff some row of it does.
        boolean[] rows = new boolean[on.length];
        for (int y = 0; y < height; y++) {
            int last = Integer.MIN_VALUE / 2;
            int[] nearestLeft = new int[width];
            for (int x = 0; x < width; x++) {
                if (on[y * width + x]) {
                    last = x;
                }
                nearestLeft[x] = last;
            }
            int next = Integer.MAX_VALUE / 2;
            for (int x = width - 1; x >= 0; x--) {
                if (on[y * width + x]) {
                    next = x;
                }
                rows[y * width + x] = x - nearestLeft[x] <= radius || next - x <= radius;
            }
        }
        boolean[] out = new boolean[on.length];
        for (int x = 0; x < width; x++) {
            int last = Integer.MIN_VALUE / 2;
            int[] nearestUp = new int[height];
            for (int y = 0; y < height; y++) {
                if (rows[y * width + x]) {
                    last = y;
                }
                nearestUp[y] = last;
            }
            int next = Integer.MAX_VALUE / 2;
            for (int y = height - 1; y >= 0; y--) {
                if (rows[y * width + x]) {
                    next = y;
                }
                out[y * width + x] = y - nearestUp[y] <= radius || next - y <= radius;
            }
        }
        return out;
    }

    private static float[] separable(float[] mask, int width, int height, double[] kernel) {
        int half = kernel.length / 2;
        float[] tmp = new float[mask.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double sum = 0;
                for (int k = 0; k < kernel.length; k++) {
                    sum += kernel[k] * mask[y * width + reflect(x + k - half, width)];
                }
                tmp[y * width + x] = (float) sum;
            }
        }
        float[] out = new float[mask.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double sum = 0;
                for (int k = 0; k < kernel.length; k++) {
                    sum += kernel[k] * tmp[reflect(y + k - half, height) * width + x];
                }
                out[y * width + x] = (float) sum;
            }
        }
        return out;
    }

    /** torch's "reflect" padding (the edge pixel is not repeated), folded again where the kernel is wider. */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    private static void normalise(double[] kernel) {
        double sum = 0;
        for (double k : kernel) {
            sum += k;
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
    }

    private static float[] binary(float[] mask, float threshold) {
        float[] out = new float[mask.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = mask[i] > threshold ? 1f : 0f;
        }
        return out;
    }

    private static float[] toFloats(boolean[] on) {
        float[] out = new float[on.length];
        for (int i = 0; i < on.length; i++) {
            out[i] = on[i] ? 1f : 0f;
        }
        return out;
    }

    private static void check(float[] mask, int width, int height) {
        if (width < 1 || height < 1 || mask.length != width * height) {
            throw new IllegalArgumentException("a " + width + "×" + height + " mask needs " + (width * height)
                    + " values, got " + mask.length);
        }
    }
}
