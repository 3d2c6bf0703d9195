package org.ijgenai.core.image;

/**
 * Fills the masked part of an image with its blurred surroundings, as A1111's {@code masking.fill} does for the
 * "fill" masked content: the unmasked pixels, premultiplied by alpha = 1 − mask, are blurred at radii 256, 64, 16,
 * 4, 2 and 0 and alpha-composited in that order (the finer ones several times), so each hole takes the colours of
 * its nearest surroundings while unmasked pixels stay exactly as they were.
 *
 * <p>Pillow's Gaussian blur is three box blurs; so is this one, with box sizes from the usual σ → box rule, and it
 * works in floating point, so the fill matches A1111's in character, not to the bit.
 */
public final class MaskedFill {

    private static final int[][] RADII_AND_REPEATS = {{256, 1}, {64, 1}, {16, 2}, {4, 4}, {2, 2}, {0, 1}};

    private MaskedFill() {}

    /** The image with pixels where {@code mask} (in [0, 1], 1 = hole) is set replaced by the blurred fill. */
    public static RgbImage fill(RgbImage image, float[] mask) {
        int w = image.width();
        int h = image.height();
        int n = w * h;
        if (mask.length != n) {
            throw new IllegalArgumentException("the mask must be " + w + "×" + h);
        }
        float[][] premultiplied = new float[4][n];
        byte[] rgb = image.rgb();
        for (int i = 0; i < n; i++) {
            float alpha = 1f - Math.max(0f, Math.min(1f, mask[i]));
            for (int c = 0; c < 3; c++) {
                premultiplied[c][i] = (rgb[i * 3 + c] & 0xFF) * alpha;
            }
            premultiplied[3][i] = alpha;
        }
        double[][] out = new double[4][n];
        for (int[] rr : RADII_AND_REPEATS) {
            float[][] layer = new float[4][];
            for (int c = 0; c < 4; c++) {
                layer[c] = rr[0] == 0 ? premultiplied[c] : gaussian(premultiplied[c], w, h, rr[0]);
            }
            for (int k = 0; k < rr[1]; k++) {
                for (int i = 0; i < n; i++) {
                    double sa = layer[3][i];
                    double da = out[3][i];
                    double oa = sa + da * (1 - sa);
                    for (int c = 0; c < 3; c++) {
                        double sc = sa > 0 ? layer[c][i] / sa : 0;
                        double mixed = sc * sa + out[c][i] * da * (1 - sa);
                        out[c][i] = oa > 0 ? mixed / oa : 0;
                    }
                    out[3][i] = oa;
                }
            }
        }
        byte[] result = new byte[n * 3];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                // Unmasked pixels come back through the radius-0 layer at alpha 1: exactly the original value.
                int v = mask[i] <= 0f ? rgb[i * 3 + c] & 0xFF : (int) Math.round(out[c][i]);
                result[i * 3 + c] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return new RgbImage(w, h, result);
    }

    /** A Gaussian blur of standard deviation {@code sigma} made of three box blurs, edges extended. */
    static float[] gaussian(float[] plane, int w, int h, double sigma) {
        int radius = (int) Math.round((Math.sqrt(12 * sigma * sigma / 3 + 1) - 1) / 2);
        float[] a = plane;
        for (int pass = 0; pass < 3; pass++) {
            a = boxVertical(boxHorizontal(a, w, h, radius), w, h, radius);
        }
        return a;
    }

    private static float[] boxHorizontal(float[] in, int w, int h, int r) {
        float[] out = new float[in.length];
        double norm = 1.0 / (2 * r + 1);
        for (int y = 0; y < h; y++) {
            int row = y * w;
            double sum = 0;
            for (int k = -r; k <= r; k++) {
                sum += in[row + clamp(k, w)];
            }
            for (int x = 0; x < w; x++) {
                out[row + x] = (float) (sum * norm);
                sum += in[row + clamp(x + r + 1, w)] - in[row + clamp(x - r, w)];
            }
        }
        return out;
    }

    private static float[] boxVertical(float[] in, int w, int h, int r) {
        float[] out = new float[in.length];
        double norm = 1.0 / (2 * r + 1);
        for (int x = 0; x < w; x++) {
            double sum = 0;
            for (int k = -r; k <= r; k++) {
                sum += in[clamp(k, h) * w + x];
            }
            for (int y = 0; y < h; y++) {
                out[y * w + x] = (float) (sum * norm);
                sum += in[clamp(y + r + 1, h) * w + x] - in[clamp(y - r, h) * w + x];
            }
        }
        return out;
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }
}
