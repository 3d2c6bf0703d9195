package org.ijgenai.core.tiling;

import java.util.Arrays;

/**
 * A multi-channel float image stored as one row-major plane per channel ({@code planes[c][y·width + x]}), the
 * layout of ImageJ's FloatProcessor pixels.
 */
public record PlanarImage(int width, int height, float[][] planes) {

    /** Checks that every plane holds width × height values. */
    public PlanarImage {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be at least 1×1, was " + width + "×" + height);
        }
        if (planes.length < 1) {
            throw new IllegalArgumentException("an image needs at least one channel");
        }
        for (float[] plane : planes) {
            if (plane.length != width * height) {
                throw new IllegalArgumentException("a " + width + "×" + height + " plane needs " + width * height
                        + " values, got " + plane.length);
            }
        }
    }

    /** Allocates a zero image. */
    public static PlanarImage zeros(int channels, int width, int height) {
        float[][] planes = new float[channels][];
        for (int c = 0; c < channels; c++) {
            planes[c] = new float[Math.multiplyExact(width, height)];
        }
        return new PlanarImage(width, height, planes);
    }

    /** The number of channels. */
    public int channels() {
        return planes.length;
    }

    /** The pixels of one channel, not copied. */
    public float[] plane(int channel) {
        return planes[channel];
    }

    /** The value at one pixel. */
    public float get(int channel, int x, int y) {
        return planes[channel][y * width + x];
    }

    @Override
    public String toString() {
        return "PlanarImage[" + planes.length + "×" + height + "×" + width + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PlanarImage p && p.width == width && p.height == height
                && Arrays.deepEquals(p.planes, planes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.deepHashCode(planes);
    }
}
