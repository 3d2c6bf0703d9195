package org.ijgenai.core.tiling;

import org.ijgenai.core.tensor.Tensor;

/**
 * The network applied to one tile: a float tensor [C, h, w] in, a float tensor [C', h·s, w·s] out, where s is the
 * {@link TileSpec#outputScale()}.
 */
@FunctionalInterface
public interface TileFunction {

    /**
     * Processes one tile.
     *
     * @param tile float32 [channels, height, width], C order, already padded; the function may reuse its array
     * @return float32 [outChannels, height·scale, width·scale]
     */
    Tensor apply(Tensor tile);
}
