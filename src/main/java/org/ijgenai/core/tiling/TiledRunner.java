package org.ijgenai.core.tiling;

import java.util.Arrays;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.tensor.Tensor;

/**
 * Applies a {@link TileFunction} to an image of any size: pads it to the size multiple, cuts it into overlapping
 * tiles, and adds each tile's output into the result with feathered weights that sum to one.
 *
 * <p>Memory stays bounded by one input tile, one output tile and the result: tiles are read from a
 * {@link TileSource} on demand and blended into the result as soon as they are computed.
 */
public final class TiledRunner {

    private final TileSpec spec;

    /** Creates a runner for one tiling specification. */
    public TiledRunner(TileSpec spec) {
        this.spec = spec;
    }

    /** The specification. */
    public TileSpec spec() {
        return spec;
    }

    /** The horizontal tile layout for an image this wide. */
    public AxisLayout columns(int width) {
        return AxisLayout.of(width, spec.tileWidth(), spec.overlap(), spec.blend(), spec.sizeMultiple(),
                spec.fixedSize());
    }

    /** The vertical tile layout for an image this tall. */
    public AxisLayout rows(int height) {
        return AxisLayout.of(height, spec.tileHeight(), spec.overlap(), spec.blend(), spec.sizeMultiple(),
                spec.fixedSize());
    }

    /** The number of tiles an image of this size takes, for progress totals. */
    public int tileCount(int width, int height) {
        return columns(width).count() * rows(height).count();
    }

    /**
     * Runs the function over every tile and returns the blended result, {@code outputScale} times the image size,
     * with as many channels as the function returns.
     *
     * @param progress receives one report per finished tile
     * @param cancel polled before each tile
     * @throws GenAiException when the function returns a tensor of the wrong shape, or the result does not fit
     *     in memory
     */
    public PlanarImage run(TileSource source, TileFunction function, ProgressListener progress,
            CancellationToken cancel) {
        AxisLayout cols = columns(source.width());
        AxisLayout rows = rows(source.height());
        int scale = spec.outputScale();
        int outWidth = Math.multiplyExact(source.width(), scale);
        int outHeight = Math.multiplyExact(source.height(), scale);
        int total = cols.count() * rows.count();
        int channels = source.channels();
        float[] tile = new float[Math.multiplyExact(channels, Math.multiplyExact(cols.tile(), rows.tile()))];
        float[][] colWeights = new float[cols.count()][];
        for (int i = 0; i < cols.count(); i++) {
            colWeights[i] = cols.weights(i, scale);
        }
        PlanarImage result = null;
        int done = 0;
        for (int j = 0; j < rows.count(); j++) {
            float[] rowWeights = rows.weights(j, scale);
            for (int i = 0; i < cols.count(); i++) {
                cancel.throwIfCancelled();
                readTile(source, cols, rows, cols.start(i), rows.start(j), tile);
                String where = total > 1 ? "tile " + (done + 1) + "/" + total : "whole image";
                Tensor out = function.apply(Tensor.ofFloats(tile, channels, rows.tile(), cols.tile()));
                int outChannels = checkShape(out, cols.tile() * scale, rows.tile() * scale, where);
                if (result == null) {
                    result = allocate(outChannels, outWidth, outHeight);
                } else if (outChannels != result.channels()) {
                    throw new GenAiException(where + ": the network returned " + outChannels
                            + " channels after returning " + result.channels() + " for the first tile");
                }
                accumulate(out.floats(), result, cols, rows, i, j, colWeights[i], rowWeights);
                done++;
                progress.progress(done, total, where);
            }
        }
        return result;
    }

    private void readTile(TileSource source, AxisLayout cols, AxisLayout rows, int startX, int startY,
            float[] tile) {
        int width = source.width();
        int height = source.height();
        int tw = cols.tile();
        int th = rows.tile();
        Padding padding = spec.padding();
        // Image column of the tile's first column; the in-image run is read in one call, the padding pixel by pixel.
        int x0 = startX - cols.padBefore();
        int inFrom = Math.max(0, -x0);
        int inTo = Math.min(tw, width - x0);
        float[] one = new float[1];
        for (int c = 0; c < source.channels(); c++) {
            for (int ty = 0; ty < th; ty++) {
                int offset = (c * th + ty) * tw;
                int y = padding.map(startY - rows.padBefore() + ty, height);
                if (y < 0) {
                    Arrays.fill(tile, offset, offset + tw, 0f);
                    continue;
                }
                if (inTo > inFrom) {
                    source.read(c, y, x0 + inFrom, inTo - inFrom, tile, offset + inFrom);
                }
                for (int tx = 0; tx < tw; tx++) {
                    if (tx >= inFrom && tx < inTo) {
                        tx = inTo - 1;
                        continue;
                    }
                    int x = padding.map(x0 + tx, width);
                    if (x < 0) {
                        tile[offset + tx] = 0f;
                    } else {
                        source.read(c, y, x, 1, one, 0);
                        tile[offset + tx] = one[0];
                    }
                }
            }
        }
    }

    private static int checkShape(Tensor out, int width, int height, String where) {
        long[] shape = out.shape();
        if (shape.length != 3 || shape[1] != height || shape[2] != width) {
            throw new GenAiException(where + ": the network returned " + Arrays.toString(shape) + " but ["
                    + "channels, " + height + ", " + width + "] was expected for this tile");
        }
        return (int) shape[0];
    }

    private static PlanarImage allocate(int channels, int width, int height) {
        try {
            return PlanarImage.zeros(channels, width, height);
        } catch (OutOfMemoryError e) {
            long mb = (long) channels * width * height * 4 / (1024 * 1024);
            throw new GenAiException("not enough memory for the " + width + "×" + height + "×" + channels
                    + " result (" + mb + " MB); give Java more memory (-Xmx) or process a smaller region", e);
        }
    }

    private void accumulate(float[] out, PlanarImage result, AxisLayout cols, AxisLayout rows, int i, int j,
            float[] wx, float[] wy) {
        int scale = spec.outputScale();
        int tw = cols.tile() * scale;
        int th = rows.tile() * scale;
        // Output pixel of the tile's first pixel in result coordinates.
        int ox = (cols.start(i) - cols.padBefore()) * scale;
        int oy = (rows.start(j) - rows.padBefore()) * scale;
        int width = result.width();
        int height = result.height();
        int fromX = Math.max(0, -ox);
        int toX = Math.min(tw, width - ox);
        int fromY = Math.max(0, -oy);
        int toY = Math.min(th, height - oy);
        for (int c = 0; c < result.channels(); c++) {
            float[] plane = result.plane(c);
            int base = c * th * tw;
            for (int ty = fromY; ty < toY; ty++) {
                float rowWeight = wy[ty];
                if (rowWeight == 0f) {
                    continue;
                }
                int src = base + ty * tw;
                int dst = (oy + ty) * width + ox;
                for (int tx = fromX; tx < toX; tx++) {
                    float w = rowWeight * wx[tx];
                    if (w != 0f) {
                        plane[dst + tx] += w * out[src + tx];
                    }
                }
            }
        }
    }
}
