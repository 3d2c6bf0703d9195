package org.ijgenai.core.style;

/**
 * A colour image as three planes of float intensities in [0, 1] (an 8-bit value p is p / 255), row-major, the
 * form in which style transfer reads and writes pixels. It wraps the arrays it is given without copying.
 */
public final class RgbImage {

    private final int width;
    private final int height;
    private final float[][] planes;

    /** Wraps red, green and blue planes of {@code width × height} values each. */
    public RgbImage(int width, int height, float[] red, float[] green, float[] blue) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, was " + width + "×" + height);
        }
        long n = (long) width * height;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image of " + width + "×" + height + " is too large for one plane");
        }
        for (float[] plane : new float[][] {red, green, blue}) {
            if (plane == null || plane.length != n) {
                throw new IllegalArgumentException("each plane must hold " + n + " values");
            }
        }
        this.width = width;
        this.height = height;
        this.planes = new float[][] {red, green, blue};
    }

    /** A black image of the given size. */
    public static RgbImage blank(int width, int height) {
        int n = Math.multiplyExact(width, height);
        return new RgbImage(width, height, new float[n], new float[n], new float[n]);
    }

    /** The width in pixels. */
    public int width() {
        return width;
    }

    /** The height in pixels. */
    public int height() {
        return height;
    }

    /** One plane (0 red, 1 green, 2 blue), shared, not copied. */
    public float[] plane(int channel) {
        return planes[channel];
    }

    /** The value of one channel at (x, y). */
    public float get(int channel, int x, int y) {
        return planes[channel][y * width + x];
    }
}
