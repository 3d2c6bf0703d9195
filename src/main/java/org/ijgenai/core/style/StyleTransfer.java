package org.ijgenai.core.style;

import java.util.Arrays;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.onnx.OnnxModel;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.onnx.TensorSpec;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.tensor.ElementType;
import org.ijgenai.core.tensor.Tensor;
import org.ijgenai.core.tiling.Padding;
import org.ijgenai.core.tiling.PlanarImage;
import org.ijgenai.core.tiling.TileSource;
import org.ijgenai.core.tiling.TileSpec;
import org.ijgenai.core.tiling.TiledRunner;

/**
 * Runs an image-to-image generator (AnimeGAN, CycleGAN, pix2pix, fast-neural-style, …) on images of any size: it
 * converts pixels to the descriptor's layout, range and colour order, pads by reflection to the size multiple
 * the network needs, runs big images in overlapping tiles blended without seams, and blends the result with the
 * original by the requested strength. The output always has the input's size. Tiling is
 * {@link TiledRunner}'s, the project's one implementation.
 *
 * <p>Open one per model and reuse it; it is {@link AutoCloseable}.
 */
public final class StyleTransfer implements AutoCloseable {

    private final StyleDescriptor descriptor;
    private final OnnxModel model;
    private final String inputName;
    private final String outputName;
    private final TensorLayout layout;
    private final int channels;
    private final int fixedHeight;
    private final int fixedWidth;
    /** Whether the network needs the size multiple; null until an image that is not a multiple asks. */
    private Boolean padsToMultiple;

    private StyleTransfer(StyleDescriptor descriptor, OnnxModel model) {
        this.descriptor = descriptor;
        this.model = model;
        TensorSpec in = descriptor.input() != null ? model.input(descriptor.input())
                : model.inputs().values().iterator().next();
        if (model.inputs().size() != 1) {
            throw new GenAiException(descriptor.model() + " has " + model.inputs().size() + " inputs "
                    + model.inputs().values() + "; a style generator takes one image");
        }
        if (descriptor.output() != null && !model.outputs().containsKey(descriptor.output())) {
            throw new GenAiException(descriptor.model() + " has no output '" + descriptor.output()
                    + "'; its outputs are " + model.outputs().values());
        }
        this.inputName = in.name();
        this.outputName = descriptor.output() != null ? descriptor.output()
                : model.outputs().keySet().iterator().next();
        if (in.rank() != 4) {
            throw new GenAiException("input " + in + " of " + descriptor.model() + " has rank " + in.rank()
                    + "; expected a 4-d image tensor (" + descriptor.layout() + ")");
        }
        this.layout = layoutOf(in, descriptor.layout());
        boolean nchw = layout == TensorLayout.NCHW;
        long c = in.dim(nchw ? 1 : 3);
        if (c != -1 && c != 1 && c != 3) {
            throw new GenAiException("input " + in + " of " + descriptor.model() + " has " + c + " channels in "
                    + layout + " order; expected 1 or 3 (is the layout right?)");
        }
        this.channels = c == 1 ? 1 : 3;
        this.fixedHeight = (int) in.dim(nchw ? 2 : 1);
        this.fixedWidth = (int) in.dim(nchw ? 3 : 2);
        if (descriptor.sizeMultiple() == 1 || (fixedHeight > 0 && fixedWidth > 0)) {
            this.padsToMultiple = false;
        }
    }

    /**
     * Loads the descriptor's ONNX file.
     *
     * @throws GenAiException when the file is missing or does not look like an image generator
     */
    public static StyleTransfer open(StyleDescriptor descriptor, SessionSettings settings) {
        OnnxModel model = OnnxModel.load(descriptor.model(), settings);
        try {
            return new StyleTransfer(descriptor, model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The descriptor's layout, unless the input's declared shape points at the other one: AnimeGAN generators
     * circulate both as TensorFlow (NHWC) and PyTorch (NCHW) exports, and a shape such as [1, 3, H, W] or
     * [1, H, W, 3] (sizes fixed or dynamic) leaves no doubt. Shapes that fit both, or neither, keep the descriptor's.
     */
    private static TensorLayout layoutOf(TensorSpec in, TensorLayout declared) {
        boolean looksNchw = isChannelCount(in.dim(1)) && !isChannelCount(in.dim(3));
        boolean looksNhwc = isChannelCount(in.dim(3)) && !isChannelCount(in.dim(1));
        if (declared == TensorLayout.NHWC && looksNchw) {
            return TensorLayout.NCHW;
        }
        if (declared == TensorLayout.NCHW && looksNhwc) {
            return TensorLayout.NHWC;
        }
        return declared;
    }

    private static boolean isChannelCount(long dim) {
        return dim == 1 || dim == 3;
    }

    /** The layout in use: the descriptor's, or the other one when the network's declared input shape demands it. */
    public TensorLayout layout() {
        return layout;
    }

    /** The descriptor this generator runs with. */
    public StyleDescriptor descriptor() {
        return descriptor;
    }

    /** Whether images are padded by reflection up to the size multiple (false when the network takes any size). */
    public synchronized boolean padsToMultiple() {
        if (padsToMultiple == null) {
            padsToMultiple = !acceptsAnySize();
        }
        return padsToMultiple;
    }

    /** The fixed input size of the network as {width, height}, or null when it takes variable sizes. */
    public int[] fixedSize() {
        return fixedWidth > 0 && fixedHeight > 0 ? new int[] {fixedWidth, fixedHeight} : null;
    }

    /** The number of colour channels the network takes: 3, or 1 for a grey generator (fed the luminance). */
    public int channels() {
        return channels;
    }

    /**
     * Many exports declare dynamic sizes yet work only on multiples (concatenated skip connections, stride-2
     * stages); others take any size. Padding a network that does not need it would change the pixels near the
     * edges, so one run on an odd size decides, the first time an image is not a multiple already. (ONNX
     * Runtime logs the failed run of a network that needs the multiple; that is expected.)
     */
    private boolean acceptsAnySize() {
        int side = 2 * descriptor.sizeMultiple() + 1;
        float[] grey = new float[3 * side * side];
        Arrays.fill(grey, 0.5f);
        try {
            runTile(Tensor.ofFloats(grey, 3, side, side), "size check");
            return true;
        } catch (GenAiException e) {
            return false;
        }
    }

    /** The tiling this generator uses for an image of the given size with the given options. */
    public TileSpec tiling(int width, int height, StyleOptions options) {
        int overlap = options.overlap() >= 0 ? options.overlap() : descriptor.overlap();
        if (fixedWidth > 0 && fixedHeight > 0) {
            // Every tile has the one size the network takes, so no size multiple applies: images at least as big
            // as the tile are not padded at all, smaller ones are reflected up to the tile.
            overlap = fitOverlap(overlap, Math.min(fixedWidth, fixedHeight), 1);
            return new TileSpec(fixedWidth, fixedHeight, overlap, blendFor(overlap), 1, 1, Padding.REFLECT, true);
        }
        int m = descriptor.sizeMultiple();
        if (m > 1 && (width % m != 0 || height % m != 0) && !padsToMultiple()) {
            m = 1;
        }
        int limit = options.tile() > 0 ? options.tile() : descriptor.maxTile();
        int side = Math.max(m, limit / m * m);
        if (roundUp(width, m) <= side && roundUp(height, m) <= side) {
            return TileSpec.whole(m);
        }
        overlap = fitOverlap(overlap, side, m);
        return new TileSpec(side, side, overlap, blendFor(overlap), m, 1, Padding.REFLECT, false);
    }

    /**
     * The feathered zone: a quarter of the overlap, centred, so 3/8 of the overlap is discarded at each inner tile
     * edge. A network whose receptive-field radius fits in that margin gives exactly the whole-image result, and
     * the ramp is still wide enough to hide the small shifts that per-tile instance normalisation causes.
     */
    private static int blendFor(int overlap) {
        return overlap / 4;
    }

    /** Caps the overlap so tiles still advance by at least a quarter of their side (and one size multiple). */
    private static int fitOverlap(int overlap, int side, int multiple) {
        return Math.max(0, Math.min(overlap, Math.min(side * 3 / 4, side - multiple)));
    }

    /**
     * Restyles an image read from {@code source}: 3 channels (RGB) or 1 (grey, used for all three), intensities
     * in [0, 1]. Images larger than the tile run in overlapping tiles through {@link TiledRunner}; each tile
     * sees its real neighbours, and reflection only beyond the image border.
     *
     * @return a new 3-channel RGB image of the input's size, intensities in [0, 1]
     * @throws GenAiException when the network fails, naming the tile it failed on
     * @throws org.ijgenai.core.progress.CancelledException when {@code cancel} fires between tiles
     */
    public PlanarImage apply(TileSource source, StyleOptions options, ProgressListener progress,
            CancellationToken cancel) {
        if (source.channels() != 1 && source.channels() != 3) {
            throw new GenAiException("style transfer takes RGB or grey images, not " + source.channels()
                    + " channels");
        }
        TileSpec spec = tiling(source.width(), source.height(), options);
        PlanarImage styled = new TiledRunner(spec).run(source, tile -> runTile(tile, "tile"), progress, cancel);
        blend(styled, source, (float) options.strength());
        return styled;
    }

    /** {@link #apply(TileSource, StyleOptions, ProgressListener, CancellationToken)} on planes in memory. */
    public PlanarImage apply(PlanarImage image, StyleOptions options, ProgressListener progress,
            CancellationToken cancel) {
        return apply(TileSource.of(image), options, progress, cancel);
    }

    /** out = s · styled + (1 − s) · original, in place, reading the original back one row at a time. */
    private static void blend(PlanarImage styled, TileSource original, float strength) {
        if (strength >= 1f) {
            return;
        }
        int w = original.width();
        float[] row = new float[w];
        for (int c = 0; c < 3; c++) {
            float[] out = styled.plane(c);
            for (int y = 0; y < original.height(); y++) {
                original.read(original.channels() == 1 ? 0 : c, y, 0, w, row, 0);
                int base = y * w;
                for (int x = 0; x < w; x++) {
                    out[base + x] = strength * out[base + x] + (1f - strength) * row[x];
                }
            }
        }
    }

    /**
     * Runs the network on one tile: [C, h, w] intensities in [0, 1] (C = 3 RGB or 1 grey) in, [3, h, w] RGB
     * intensities in [0, 1] out, with the descriptor's colour order, range and layout applied in between.
     */
    Tensor runTile(Tensor tile, String context) {
        boolean nchw = layout == TensorLayout.NCHW;
        boolean bgr = descriptor.colorOrder() == ColorOrder.BGR;
        ValueRange range = descriptor.range();
        int sourceChannels = (int) tile.dim(0);
        int h = (int) tile.dim(1);
        int w = (int) tile.dim(2);
        int n = w * h;
        float[] in = tile.floats();
        int g0 = sourceChannels == 3 ? n : 0;
        int b0 = sourceChannels == 3 ? 2 * n : 0;
        float[] data = new float[n * channels];
        for (int i = 0; i < n; i++) {
            float r = in[i];
            float g = in[g0 + i];
            float b = in[b0 + i];
            if (channels == 1) {
                data[i] = range.encode(luminance(r, g, b));
            } else {
                float first = range.encode(bgr ? b : r);
                float second = range.encode(g);
                float third = range.encode(bgr ? r : b);
                if (nchw) {
                    data[i] = first;
                    data[n + i] = second;
                    data[2 * n + i] = third;
                } else {
                    data[3 * i] = first;
                    data[3 * i + 1] = second;
                    data[3 * i + 2] = third;
                }
            }
        }
        long[] shape = nchw ? new long[] {1, channels, h, w} : new long[] {1, h, w, channels};
        Map<String, Tensor> out = model.run(Map.of(inputName, Tensor.ofFloats(data, shape)),
                descriptor.name() + ", " + context + " of " + w + "×" + h);
        return Tensor.ofFloats(decode(out.get(outputName), w, h, context), 3, h, w);
    }

    private float[] decode(Tensor result, int w, int h, String context) {
        boolean nchw = layout == TensorLayout.NCHW;
        long[] s = result.shape();
        String where = descriptor.model() + " (" + context + ")";
        if (s.length != 4 || s[0] != 1) {
            throw new GenAiException(where + ": output " + Arrays.toString(s) + " is not one image in "
                    + layout + " layout");
        }
        long oc = nchw ? s[1] : s[3];
        long oh = nchw ? s[2] : s[1];
        long ow = nchw ? s[3] : s[2];
        if (oh != h || ow != w) {
            throw new GenAiException(where + ": the network returned " + ow + "×" + oh + " for a " + w + "×" + h
                    + " input; style transfer needs the same size (is sizeMultiple " + descriptor.sizeMultiple()
                    + " right, and the layout " + layout + "?)");
        }
        if (oc != 1 && oc != 3) {
            throw new GenAiException(where + ": output has " + oc + " channels in " + layout
                    + " order; expected 1 or 3");
        }
        if (result.type() != ElementType.FLOAT32) {
            throw new GenAiException(where + ": output type " + result.type() + " is not a float image");
        }
        float[] y = result.floats();
        ValueRange range = descriptor.range();
        int n = w * h;
        float[] rgb = new float[3 * n];
        boolean bgr = descriptor.colorOrder() == ColorOrder.BGR;
        for (int i = 0; i < n; i++) {
            if (oc == 1) {
                float v = range.decode(y[i]);
                rgb[i] = v;
                rgb[n + i] = v;
                rgb[2 * n + i] = v;
            } else {
                float c0 = range.decode(nchw ? y[i] : y[3 * i]);
                float c1 = range.decode(nchw ? y[n + i] : y[3 * i + 1]);
                float c2 = range.decode(nchw ? y[2 * n + i] : y[3 * i + 2]);
                rgb[i] = bgr ? c2 : c0;
                rgb[n + i] = c1;
                rgb[2 * n + i] = bgr ? c0 : c2;
            }
        }
        return rgb;
    }

    /** ITU-R BT.601 luma, the weights ImageJ and PIL use to turn RGB into grey. */
    static float luminance(float r, float g, float b) {
        return 0.299f * r + 0.587f * g + 0.114f * b;
    }

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    @Override
    public void close() {
        model.close();
    }
}
