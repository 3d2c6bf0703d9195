package org.ijgenai.core.tiling;

/** How pixels beyond an image border are made up when a tile or the size-multiple padding reaches past it. */
public enum Padding {

    /** Mirror without repeating the border pixel, as numpy's {@code reflect}: … 2 1 | 0 1 2 … */
    REFLECT,

    /** Repeat the border pixel, as numpy's {@code edge}: … 0 0 | 0 1 2 … */
    EDGE,

    /** Zeros (after the tile function's own normalisation is applied, zero means the raw value 0). */
    ZERO;

    /**
     * Maps a coordinate that may lie outside {@code [0, length)} to the source pixel that stands in for it, or −1
     * for {@link #ZERO} padding outside the image.
     */
    public int map(int coordinate, int length) {
        if (coordinate >= 0 && coordinate < length) {
            return coordinate;
        }
        switch (this) {
            case EDGE:
                return coordinate < 0 ? 0 : length - 1;
            case ZERO:
                return -1;
            default:
                if (length == 1) {
                    return 0;
                }
                // Mirroring repeatedly is periodic with period 2·(length−1); this also covers pads wider than
                // the image itself.
                int period = 2 * (length - 1);
                int m = Math.floorMod(coordinate, period);
                return m < length ? m : period - m;
        }
    }
}
