package org.ijgenai.core.tiling;

import java.util.Arrays;

/**
 * Where the tiles lie along one axis: the padded domain (image plus size-multiple padding), the tile starts in
 * domain coordinates, and the feathered zone between each pair of neighbours.
 *
 * <p>Tiles never reach past the padded domain, so a tile at the border sees the same border as whole-image
 * inference. Starts are spread evenly and snapped to the size multiple, which keeps strided networks aligned.
 */
public record AxisLayout(int length, int domain, int padBefore, int tile, int[] starts, double[] zoneStart,
        double[] zoneEnd) {

    /** Copies the arrays so the record stays immutable. */
    public AxisLayout {
        starts = starts.clone();
        zoneStart = zoneStart.clone();
        zoneEnd = zoneEnd.clone();
    }

    /**
     * Lays out tiles along an axis of {@code length} image pixels.
     *
     * @param tileSize the tile size, or 0 for one tile over the whole padded domain
     */
    public static AxisLayout of(int length, int tileSize, int overlap, int blend, int multiple, boolean fixedSize) {
        if (length < 1) {
            throw new IllegalArgumentException("length must be ≥ 1, was " + length);
        }
        int domain = ceilTo(length, multiple);
        if (fixedSize) {
            domain = Math.max(domain, tileSize);
        }
        int padBefore = (domain - length) / 2;
        if (tileSize == 0 || domain <= tileSize) {
            return new AxisLayout(length, domain, padBefore, domain, new int[] {0}, new double[0], new double[0]);
        }
        int stepMax = (tileSize - overlap) / multiple * multiple;
        int count = 1 + (domain - tileSize + stepMax - 1) / stepMax;
        long units = (domain - tileSize) / multiple;
        int[] starts = new int[count];
        for (int i = 0; i < count; i++) {
            // round(i·units/(count−1)) in integers; consecutive starts then differ by at most stepMax.
            starts[i] = (int) ((2L * i * units + (count - 1)) / (2L * (count - 1))) * multiple;
        }
        int zones = count - 1;
        double[] centre = new double[zones];
        double[] width = new double[zones];
        for (int i = 0; i < zones; i++) {
            int a = starts[i + 1];
            int b = starts[i] + tileSize;
            centre[i] = (a + b) / 2.0;
            width[i] = Math.min(blend, b - a);
        }
        // Zones of one tile must not overlap each other, or the weights would no longer sum to one.
        for (int i = 0; i < zones; i++) {
            if (i > 0) {
                width[i] = Math.min(width[i], centre[i] - centre[i - 1]);
            }
            if (i + 1 < zones) {
                width[i] = Math.min(width[i], centre[i + 1] - centre[i]);
            }
        }
        double[] zoneStart = new double[zones];
        double[] zoneEnd = new double[zones];
        for (int i = 0; i < zones; i++) {
            zoneStart[i] = centre[i] - width[i] / 2;
            zoneEnd[i] = centre[i] + width[i] / 2;
        }
        return new AxisLayout(length, domain, padBefore, tileSize, starts, zoneStart, zoneEnd);
    }

    private static int ceilTo(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    /** The number of tiles. */
    public int count() {
        return starts.length;
    }

    /** The start of tile {@code i} in domain coordinates. */
    public int start(int i) {
        return starts[i];
    }

    /** A copy of the tile starts. */
    @Override
    public int[] starts() {
        return starts.clone();
    }

    /** The smallest overlap between neighbouring tiles (0 for a single tile). */
    public int minOverlap() {
        int min = count() > 1 ? Integer.MAX_VALUE : 0;
        for (int i = 0; i + 1 < count(); i++) {
            min = Math.min(min, starts[i] + tile - starts[i + 1]);
        }
        return min;
    }

    /**
     * The blending weights of tile {@code i} for its output pixels, at {@code scale} output pixels per input
     * pixel. The weights of all tiles covering a pixel sum to one: 1 inside, complementary linear ramps across
     * each feathered zone, 0 beyond it, and a hard cut where the zone has width 0.
     */
    public float[] weights(int i, int scale) {
        int n = tile * scale;
        float[] w = new float[n];
        for (int k = 0; k < n; k++) {
            double u = starts[i] + (k + 0.5) / scale;
            double value = 1;
            if (i > 0) {
                value *= ramp(u, zoneStart[i - 1], zoneEnd[i - 1]);
            }
            if (i + 1 < count()) {
                value *= 1 - ramp(u, zoneStart[i], zoneEnd[i]);
            }
            w[k] = (float) value;
        }
        return w;
    }

    private static double ramp(double u, double from, double to) {
        if (u < from) {
            return 0;
        }
        if (u >= to) {
            return 1;
        }
        return (u - from) / (to - from);
    }

    @Override
    public String toString() {
        return "AxisLayout[length=" + length + ", domain=" + domain + ", padBefore=" + padBefore + ", tile=" + tile
                + ", starts=" + Arrays.toString(starts) + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AxisLayout a && a.length == length && a.domain == domain && a.tile == tile
                && a.padBefore == padBefore && Arrays.equals(a.starts, starts)
                && Arrays.equals(a.zoneStart, zoneStart) && Arrays.equals(a.zoneEnd, zoneEnd);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(starts) + domain;
    }
}
