package org.ijgenai.core.image;

/**
 * Enlarges an image's canvas for outpainting: the new border is pre-filled by extending the nearest edge pixels
 * outwards and blurring that extension, so the model starts from plausible colours instead of a flat fill, and a
 * mask marks the new area white (repaint).
 *
 * @param image the enlarged image; the original pixels are unchanged, at ({@code left}, {@code top})
 * @param mask 8-bit grey, 255 on the new border, 0 on the original pixels
 */
public record CanvasExtension(RgbImage image, byte[] mask, int left, int top) {

    /** The largest blur used on the extension, as Krita's border fill blurs with 65. */
    private static final int MAX_BLUR_SIGMA = 32;

    /**
     * Extends {@code image} by the given pixel counts on each side.
     *
     * @throws IllegalArgumentException for a negative count, or when nothing is added
     */
    public static CanvasExtension extend(RgbImage image, int left, int right, int top, int bottom) {
        if (left < 0 || right < 0 || top < 0 || bottom < 0) {
            throw new IllegalArgumentException("expand sizes must be ≥ 0 pixels, were left " + left + ", right "
                    + right + ", top " + top + ", bottom " + bottom);
        }
        if (left + right + top + bottom == 0) {
            throw new IllegalArgumentException("nothing to expand: give at least one of left, right, top, bottom");
        }
        int w = image.width();
        int h = image.height();
        int nw = w + left + right;
        int nh = h + top + bottom;
        if ((long) nw * nh > 64L * 1024 * 1024) {
            throw new IllegalArgumentException("the expanded canvas " + nw + "×" + nh + " is too large");
        }
        byte[] src = image.rgb();
        float[][] planes = new float[3][nw * nh];
        byte[] mask = new byte[nw * nh];
        for (int y = 0; y < nh; y++) {
            int sy = Math.max(0, Math.min(h - 1, y - top));
            for (int x = 0; x < nw; x++) {
                int sx = Math.max(0, Math.min(w - 1, x - left));
                boolean inside = x >= left && x < left + w && y >= top && y < top + h;
                mask[y * nw + x] = inside ? 0 : (byte) 255;
                for (int c = 0; c < 3; c++) {
                    planes[c][y * nw + x] = src[(sy * w + sx) * 3 + c] & 0xFF;
                }
            }
        }
        int widest = Math.max(Math.max(left, right), Math.max(top, bottom));
        double sigma = Math.max(1, Math.min(MAX_BLUR_SIGMA, widest / 2.0));
        float[][] blurred = new float[3][];
        for (int c = 0; c < 3; c++) {
            blurred[c] = MaskedFill.gaussian(planes[c], nw, nh, sigma);
        }
        byte[] out = new byte[nw * nh * 3];
        for (int y = 0; y < nh; y++) {
            for (int x = 0; x < nw; x++) {
                int i = y * nw + x;
                boolean inside = mask[i] == 0;
                for (int c = 0; c < 3; c++) {
                    int v = inside ? src[((y - top) * w + (x - left)) * 3 + c] & 0xFF
                            : (int) Math.round(blurred[c][i]);
                    out[i * 3 + c] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        return new CanvasExtension(new RgbImage(nw, nh, out), mask, left, top);
    }
}
