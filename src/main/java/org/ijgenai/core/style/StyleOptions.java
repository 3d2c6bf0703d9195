package org.ijgenai.core.style;

/**
 * The user's choices for one style transfer run.
 *
 * @param strength how much of the styled result to keep: 1 is the generator's output, 0 the original, values in
 *     between blend linearly in [0, 1] intensities
 * @param tile the largest tile side in pixels, or 0 for the descriptor's {@code maxTile}; a network with a fixed
 *     input size always uses that size; at least {@link #MIN_TILE}
 * @param overlap the overlap between tiles in pixels, or −1 for the descriptor's
 */
public record StyleOptions(double strength, int tile, int overlap) {

    /** The smallest tile side accepted; smaller tiles would be nearly all overlap. */
    public static final int MIN_TILE = 8;

    /** The generator's full output, with the descriptor's tiling. */
    public static final StyleOptions DEFAULT = new StyleOptions(1.0, 0, -1);

    /** Validates the options. */
    public StyleOptions {
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in [0, 1], was " + strength);
        }
        if (tile != 0 && tile < MIN_TILE) {
            throw new IllegalArgumentException("tile must be 0 (the model's default) or ≥ " + MIN_TILE + ", was "
                    + tile);
        }
        if (overlap < -1) {
            throw new IllegalArgumentException("overlap must be ≥ 0, or −1 for the model's default, was "
                    + overlap);
        }
    }
}
