package org.ijgenai.core.image;

/**
 * Bicubic resizing as PyTorch's {@code F.interpolate(x, size=…, mode="bicubic", align_corners=False)} computes it
 * (what DAAM upsamples its heat maps with): Keys' cubic convolution with a = −0.75, source coordinates
 * (dst + ½)·in/out − ½, border pixels repeated, float32 arithmetic. It can undershoot below the smallest input value
 * near sharp edges, which is why DAAM clamps its maps at 0 afterwards.
 */
public final class TorchBicubic {

    private static final float A = -0.75f;

    private TorchBicubic() {
    }

    /**
     * Resizes one plane.
     *
     * @param plane row-major [height, width]
     * @return row-major [outHeight, outWidth]
     */
    public static float[] resize(float[] plane, int height, int width, int outHeight, int outWidth) {
        if (plane.length != height * width) {
            throw new IllegalArgumentException("plane of " + plane.length + " values is not " + height + "×" + width);
        }
        if (outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("output size must be ≥ 1, was " + outHeight + "×" + outWidth);
        }
        float scaleY = (float) height / outHeight;
        float scaleX = (float) width / outWidth;
        int[] x0 = new int[outWidth];
        float[][] wx = new float[outWidth][];
        for (int x = 0; x < outWidth; x++) {
            float real = scaleX * (x + 0.5f) - 0.5f;
            x0[x] = (int) Math.floor(real);
            wx[x] = coefficients(real - x0[x]);
        }
        float[] out = new float[outHeight * outWidth];
        float[] rows = new float[4];
        for (int y = 0; y < outHeight; y++) {
            float real = scaleY * (y + 0.5f) - 0.5f;
            int y0 = (int) Math.floor(real);
            float[] wy = coefficients(real - y0);
            for (int x = 0; x < outWidth; x++) {
                for (int k = 0; k < 4; k++) {
                    int row = clamp(y0 - 1 + k, height) * width;
                    float[] c = wx[x];
                    rows[k] = plane[row + clamp(x0[x] - 1, width)] * c[0] + plane[row + clamp(x0[x], width)] * c[1]
                            + plane[row + clamp(x0[x] + 1, width)] * c[2] + plane[row + clamp(x0[x] + 2, width)] * c[3];
                }
                out[y * outWidth + x] = rows[0] * wy[0] + rows[1] * wy[1] + rows[2] * wy[2] + rows[3] * wy[3];
            }
        }
        return out;
    }

    private static int clamp(int i, int size) {
        return Math.max(0, Math.min(size - 1, i));
    }

    /** The four weights of the taps at −1, 0, +1, +2 for a fractional offset t. */
    private static float[] coefficients(float t) {
        float x2 = 1.0f - t;
        return new float[] {near(t + 1.0f), inner(t), inner(x2), near(x2 + 1.0f)};
    }

    /** Keys' kernel for |x| ≤ 1. */
    private static float inner(float x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    /** Keys' kernel for 1 < |x| < 2. */
    private static float near(float x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }
}
