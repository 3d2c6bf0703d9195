package org.ijgenai.core.style;

import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.model.OnnxModel;
import org.ijgenai.core.model.SessionSettings;
import org.ijgenai.core.model.TensorSpec;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.tensor.Tensor;

/**
 * Runs an image-to-image generator (AnimeGAN, CycleGAN, pix2pix, fast-neural-style, …) on images of any size: it
 * converts pixels to the descriptor's layout, range and colour order, pads by reflection to the size multiple
 * the network needs, runs big images in overlapping tiles blended without seams, and blends the result with the
 * original by the requested strength. The output always has the input's size.
 *
 * <p>Open one per model and reuse it; it is {@link AutoCloseable}.
 */
public final class StyleTransfer implements AutoCloseable {

    private final StyleDescriptor descriptor;
    private final OnnxModel model;
    private final String inputName;
    private final String outputName;
    private final int channels;
    private final int fixedHeight;
    private final int fixedWidth;
    private final boolean padsToMultiple;

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
        boolean nchw = descriptor.layout() == TensorLayout.NCHW;
        long c = in.dim(nchw ? 1 : 3);
        if (c != -1 && c != 1 && c != 3) {
            throw new GenAiException("input " + in + " of " + descriptor.model() + " has " + c + " channels in "
                    + descriptor.layout() + " order; expected 1 or 3 (is the layout right?)");
        }
        this.channels = c == 1 ? 1 : 3;
        this.fixedHeight = (int) in.dim(nchw ? 2 : 1);
        this.fixedWidth = (int) in.dim(nchw ? 3 : 2);
        this.padsToMultiple = descriptor.sizeMultiple() > 1 && fixedHeight < 0 && fixedWidth < 0
                && !acceptsAnySize();
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

    /** The descriptor this generator runs with. */
    public StyleDescriptor descriptor() {
        return descriptor;
    }

    /** Whether images are padded by reflection up to the size multiple (false when the network takes any size). */
    public boolean padsToMultiple() {
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
     * right and bottom edges, so one run on an odd size decides.
     */
    private boolean acceptsAnySize() {
        int side = 2 * descriptor.sizeMultiple() + 1;
        try {
            RgbImage grey = RgbImage.blank(side, side);
            java.util.Arrays.fill(grey.plane(0), 0.5f);
            java.util.Arrays.fill(grey.plane(1), 0.5f);
            java.util.Arrays.fill(grey.plane(2), 0.5f);
            run(grey, 0, 0, side, side, "size check");
            return true;
        } catch (GenAiException e) {
            return false;
        }
    }

    /**
     * Restyles an image. Images larger than the tile are processed in overlapping tiles (see
     * {@link StyleTiling}); each tile sees real neighbouring pixels, and reflection only at the image border.
     *
     * @return a new image of the input's size
     * @throws GenAiException when the network fails, with the tile it failed on
     * @throws org.ijgenai.core.progress.CancelledException when {@code cancel} fires between tiles
     */
    public RgbImage apply(RgbImage image, StyleOptions options, ProgressListener progress,
            CancellationToken cancel) {
        int w = image.width();
        int h = image.height();
        int m = padsToMultiple ? descriptor.sizeMultiple() : 1;
        // The padded canvas is virtual: reads beyond the image reflect (see run), nothing is copied.
        int canvasW = roundUp(w, m);
        int canvasH = roundUp(h, m);
        int tileW;
        int tileH;
        if (fixedWidth > 0 && fixedHeight > 0) {
            tileW = fixedWidth;
            tileH = fixedHeight;
            canvasW = Math.max(w, tileW);
            canvasH = Math.max(h, tileH);
        } else {
            int limit = options.tile() > 0 ? options.tile() : descriptor.maxTile();
            int side = Math.max(m, limit / m * m);
            tileW = Math.min(canvasW, side);
            tileH = Math.min(canvasH, side);
        }
        int overlap = options.overlap() >= 0 ? options.overlap() : descriptor.overlap();
        overlap = Math.min(overlap, Math.min(tileW, tileH) / 4);
        RgbImage styled = StyleTiling.run(w, h, canvasW, canvasH, tileW, tileH, overlap,
                (x, y, tw, th, label) -> run(image, x, y, tw, th, label), progress, cancel);
        blend(styled, image, (float) options.strength());
        return styled;
    }

    /** out = s · styled + (1 − s) · original, in place in {@code styled}. */
    private static void blend(RgbImage styled, RgbImage original, float strength) {
        if (strength >= 1f) {
            return;
        }
        for (int c = 0; c < 3; c++) {
            float[] out = styled.plane(c);
            float[] in = original.plane(c);
            for (int i = 0; i < out.length; i++) {
                out[i] = strength * out[i] + (1f - strength) * in[i];
            }
        }
    }

    /**
     * Runs the network on one region of the image's reflection-padded canvas.
     *
     * @return the styled region as three planes in [0, 1], in RGB order
     */
    float[][] run(RgbImage image, int x0, int y0, int w, int h, String context) {
        boolean nchw = descriptor.layout() == TensorLayout.NCHW;
        boolean bgr = descriptor.colorOrder() == ColorOrder.BGR;
        ValueRange range = descriptor.range();
        int n = w * h;
        float[] data = new float[n * channels];
        int[] xs = new int[w];
        for (int x = 0; x < w; x++) {
            xs[x] = reflect(x0 + x, image.width());
        }
        float[] r = image.plane(0);
        float[] g = image.plane(1);
        float[] b = image.plane(2);
        for (int y = 0; y < h; y++) {
            int row = reflect(y0 + y, image.height()) * image.width();
            for (int x = 0; x < w; x++) {
                int src = row + xs[x];
                int dst = y * w + x;
                if (channels == 1) {
                    data[dst] = range.encode(luminance(r[src], g[src], b[src]));
                } else {
                    float first = bgr ? b[src] : r[src];
                    float third = bgr ? r[src] : b[src];
                    if (nchw) {
                        data[dst] = range.encode(first);
                        data[n + dst] = range.encode(g[src]);
                        data[2 * n + dst] = range.encode(third);
                    } else {
                        data[3 * dst] = range.encode(first);
                        data[3 * dst + 1] = range.encode(g[src]);
                        data[3 * dst + 2] = range.encode(third);
                    }
                }
            }
        }
        long[] shape = nchw ? new long[] {1, channels, h, w} : new long[] {1, h, w, channels};
        Map<String, Tensor> out = model.run(Map.of(inputName, Tensor.ofFloats(data, shape)),
                descriptor.name() + ", " + context + " (" + w + "×" + h + " at " + x0 + "," + y0 + ")");
        Tensor result = out.get(outputName);
        return decode(result, w, h, context);
    }

    private float[][] decode(Tensor result, int w, int h, String context) {
        boolean nchw = descriptor.layout() == TensorLayout.NCHW;
        long[] s = result.shape();
        String where = descriptor.model() + " (" + context + ")";
        if (s.length != 4 || s[0] != 1) {
            throw new GenAiException(where + ": output " + java.util.Arrays.toString(s)
                    + " is not one image in " + descriptor.layout() + " layout");
        }
        long oc = nchw ? s[1] : s[3];
        long oh = nchw ? s[2] : s[1];
        long ow = nchw ? s[3] : s[2];
        if (oh != h || ow != w) {
            throw new GenAiException(where + ": the network returned " + ow + "×" + oh + " for a " + w + "×" + h
                    + " input; style transfer needs the same size (is sizeMultiple "
                    + descriptor.sizeMultiple() + " right, and the layout " + descriptor.layout() + "?)");
        }
        if (oc != 1 && oc != 3) {
            throw new GenAiException(where + ": output has " + oc + " channels in " + descriptor.layout()
                    + " order; expected 1 or 3");
        }
        float[] y = result.type() == org.ijgenai.core.tensor.ElementType.FLOAT32 ? result.floats() : null;
        if (y == null) {
            throw new GenAiException(where + ": output type " + result.type() + " is not a float image");
        }
        ValueRange range = descriptor.range();
        int n = w * h;
        float[][] planes = new float[3][n];
        boolean bgr = descriptor.colorOrder() == ColorOrder.BGR;
        for (int i = 0; i < n; i++) {
            if (oc == 1) {
                float v = range.decode(y[i]);
                planes[0][i] = v;
                planes[1][i] = v;
                planes[2][i] = v;
            } else {
                float c0 = range.decode(nchw ? y[i] : y[3 * i]);
                float c1 = range.decode(nchw ? y[n + i] : y[3 * i + 1]);
                float c2 = range.decode(nchw ? y[2 * n + i] : y[3 * i + 2]);
                planes[0][i] = bgr ? c2 : c0;
                planes[1][i] = c1;
                planes[2][i] = bgr ? c0 : c2;
            }
        }
        return planes;
    }

    /** ITU-R BT.601 luma, the weights ImageJ and PIL use to turn RGB into grey. */
    static float luminance(float r, float g, float b) {
        return 0.299f * r + 0.587f * g + 0.114f * b;
    }

    /**
     * Mirrors an index into [0, n) without repeating the edge pixel (numpy's and PyTorch's "reflect"), folding
     * again for canvases more than twice the image, as happens for tiny images and fixed-size networks.
     */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int k = Math.floorMod(i, period);
        return k < n ? k : period - k;
    }

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    @Override
    public void close() {
        model.close();
    }
}
