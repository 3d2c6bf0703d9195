package org.ijgenai.core.tiling;

/**
 * How to cut an image into overlapping tiles and blend them back.
 *
 * <ul>
 * <li>{@code tileWidth}, {@code tileHeight}: the tile size in input pixels, multiples of {@code sizeMultiple}; 0
 * means "the whole (padded) image is one tile".</li>
 * <li>{@code overlap}: the minimum number of pixels neighbouring tiles share.</li>
 * <li>{@code blend}: the width of the feathered zone, centred in each overlap, where the two tiles' outputs are
 * mixed with complementary linear weights; the {@code (overlap − blend) / 2} pixels on each side of it are
 * discarded. A network whose receptive-field radius is at most {@code (overlap − blend) / 2} gives exactly the
 * whole-image result; wider ones get a seamless transition.</li>
 * <li>{@code sizeMultiple}: the network needs sizes (and, for strided networks, tile offsets) that are multiples
 * of it; the image is padded up to a multiple with {@code padding}, split evenly between both sides.</li>
 * <li>{@code outputScale}: the network's output is this many times larger than its input.</li>
 * <li>{@code fixedSize}: the network accepts only tiles of exactly the tile size, so smaller images are padded up
 * to it.</li>
 * </ul>
 */
public record TileSpec(int tileWidth, int tileHeight, int overlap, int blend, int sizeMultiple, int outputScale,
        Padding padding, boolean fixedSize) {

    /** Validates the combination. */
    public TileSpec {
        if (sizeMultiple < 1) {
            throw new IllegalArgumentException("size multiple must be ≥ 1, was " + sizeMultiple);
        }
        if (outputScale < 1) {
            throw new IllegalArgumentException("output scale must be ≥ 1, was " + outputScale);
        }
        if (overlap < 0) {
            throw new IllegalArgumentException("overlap must be ≥ 0, was " + overlap);
        }
        if (blend < 0 || blend > overlap) {
            throw new IllegalArgumentException("blend must be between 0 and the overlap (" + overlap + "), was "
                    + blend);
        }
        if (padding == null) {
            throw new IllegalArgumentException("padding must not be null");
        }
        if ((tileWidth == 0) != (tileHeight == 0)) {
            throw new IllegalArgumentException("tile width and height must both be 0 (whole image) or both > 0");
        }
        if (fixedSize && tileWidth == 0) {
            throw new IllegalArgumentException("a fixed-size network needs a tile size");
        }
        checkTile("width", tileWidth, overlap, sizeMultiple);
        checkTile("height", tileHeight, overlap, sizeMultiple);
    }

    private static void checkTile(String axis, int tile, int overlap, int multiple) {
        if (tile < 0) {
            throw new IllegalArgumentException("tile " + axis + " must be ≥ 0, was " + tile);
        }
        if (tile == 0) {
            return;
        }
        if (tile % multiple != 0) {
            throw new IllegalArgumentException("tile " + axis + " " + tile + " is not a multiple of " + multiple);
        }
        if (tile - overlap < multiple) {
            throw new IllegalArgumentException("tile " + axis + " " + tile + " leaves no room to advance past an "
                    + "overlap of " + overlap + " pixels (size multiple " + multiple + "); use a larger tile or "
                    + "a smaller overlap");
        }
    }

    /**
     * Square tiles with the given overlap, half of it feathered, reflection padding, size multiple 1, output
     * scale 1.
     */
    public static TileSpec square(int tile, int overlap) {
        return new TileSpec(tile, tile, overlap, overlap / 2, 1, 1, Padding.REFLECT, false);
    }

    /** One tile covering the whole image padded to a multiple of {@code sizeMultiple}. */
    public static TileSpec whole(int sizeMultiple) {
        return new TileSpec(0, 0, 0, 0, sizeMultiple, 1, Padding.REFLECT, false);
    }

    /** Whether the whole image is processed as one tile. */
    public boolean isWhole() {
        return tileWidth == 0;
    }

    /** The same spec with another feathered-zone width. */
    public TileSpec withBlend(int newBlend) {
        return new TileSpec(tileWidth, tileHeight, overlap, newBlend, sizeMultiple, outputScale, padding, fixedSize);
    }

    /** The same spec with another size multiple. */
    public TileSpec withSizeMultiple(int multiple) {
        return new TileSpec(tileWidth, tileHeight, overlap, blend, multiple, outputScale, padding, fixedSize);
    }

    /** The same spec with another output scale. */
    public TileSpec withOutputScale(int scale) {
        return new TileSpec(tileWidth, tileHeight, overlap, blend, sizeMultiple, scale, padding, fixedSize);
    }

    /** The same spec with another padding mode. */
    public TileSpec withPadding(Padding mode) {
        return new TileSpec(tileWidth, tileHeight, overlap, blend, sizeMultiple, outputScale, mode, fixedSize);
    }

    /** The same spec for a network that accepts only tiles of exactly the tile size. */
    public TileSpec withFixedSize(boolean fixed) {
        return new TileSpec(tileWidth, tileHeight, overlap, blend, sizeMultiple, outputScale, padding, fixed);
    }
}
