package org.ijgenai.core.gan;

import java.util.List;

import org.ijgenai.core.style.ValueRange;

/**
 * A generator's pictures, one per z, as the network returned them (planar CHW floats in {@link #range()}), with
 * their conversion to 8-bit RGB.
 *
 * @param channels 1 or 3
 * @param height picture height
 * @param width picture width
 * @param range the value range of the raw values
 * @param raw one planar float array per picture
 */
public record GanPictures(int channels, int height, int width, ValueRange range, List<float[]> raw) {

    /** Copies the list. */
    public GanPictures {
        raw = List.copyOf(raw);
    }

    /** The number of pictures. */
    public int count() {
        return raw.size();
    }

    /**
     * Picture {@code i} as packed 0xRRGGBB pixels: each value mapped from the range to [0, 1], clipped, times 255 and
     * rounded half up (a grey generator's one channel fills all three).
     */
    public int[] rgb(int i) {
        float[] p = raw.get(i);
        int n = width * height;
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            int r = byteOf(p[k]);
            int g = channels == 3 ? byteOf(p[n + k]) : r;
            int b = channels == 3 ? byteOf(p[2 * n + k]) : r;
            out[k] = r << 16 | g << 8 | b;
        }
        return out;
    }

    private int byteOf(float value) {
        return (int) Math.floor(range.decode(value) * 255f + 0.5f);
    }
}
