package org.ijgenai.core.segment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import org.ijgenai.core.tiling.TileFunction;
import org.ijgenai.core.tiling.TileSource;
import org.ijgenai.core.tiling.TileSpec;
import org.ijgenai.core.tiling.TiledRunner;

/**
 * An ONNX segmentation network with its {@link SegmentationDescriptor}: adapts the image's channels, normalises
 * with statistics of the whole image, runs the network by resizing or by tiles, and turns its output into
 * probabilities at the image's size.
 */
public final class SegmentationModel implements AutoCloseable {

    private final SegmentationDescriptor descriptor;
    private final OnnxModel model;
    private final String inputName;
    private final String outputName;

    private SegmentationModel(SegmentationDescriptor descriptor, OnnxModel model, String inputName,
            String outputName) {
        this.descriptor = descriptor;
        this.model = model;
        this.inputName = inputName;
        this.outputName = outputName;
    }

    /**
     * Opens the model in a folder (or the descriptor file, or the {@code .onnx} file beside its descriptor).
     *
     * @throws GenAiException when the descriptor or the model file is missing or does not match the network
     */
    public static SegmentationModel open(Path path, SessionSettings settings) {
        SegmentationDescriptor descriptor = SegmentationDescriptor.load(path);
        if (!Files.isRegularFile(descriptor.modelFile())) {
            throw new GenAiException("the model file " + descriptor.modelFile() + " named by the descriptor in "
                    + descriptor.directory() + " does not exist");
        }
        OnnxModel model = OnnxModel.load(descriptor.modelFile(), settings);
        try {
            String input = pick(descriptor.inputName(), model.inputs(), "input", model);
            String output = pick(descriptor.outputName(), model.outputs(), "output", model);
            TensorSpec spec = model.input(input);
            int expectedRank = descriptor.inputLayout() == SegmentationDescriptor.Layout.NHW ? 3 : 4;
            if (spec.rank() != expectedRank) {
                throw new GenAiException(model.file() + ": input '" + input + "' has shape " + spec
                        + " but the descriptor's layout " + descriptor.inputLayout() + " needs rank " + expectedRank);
            }
            return new SegmentationModel(descriptor, model, input, output);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static String pick(String wanted, Map<String, TensorSpec> specs, String what, OnnxModel model) {
        if (wanted == null) {
            return specs.keySet().iterator().next();
        }
        if (!specs.containsKey(wanted)) {
            throw new GenAiException(model.file() + " has no " + what + " '" + wanted + "' (named in the descriptor);"
                    + " its " + what + "s are " + specs.keySet());
        }
        return wanted;
    }

    /** The descriptor. */
    public SegmentationDescriptor descriptor() {
        return descriptor;
    }

    /**
     * Segments one image.
     *
     * @param image the pixels: one channel for grey images, R, G, B for colour images
     * @param bitDepth 8, 16, 24 (RGB) or 32; 16- and 32-bit images are rescaled to the descriptor's input range
     * @param tileOverride 0 for the descriptor's strategy; otherwise tile with this tile size
     */
    public Segmentation segment(TileSource image, int bitDepth, int tileOverride, ProgressListener progress,
            CancellationToken cancel) {
        List<String> notes = new ArrayList<>();
        TileSource adapted = adaptChannels(image, notes);
        List<NormalizationStep> steps = new ArrayList<>(descriptor.normalization());
        boolean rescale = descriptor.inputRange() != null && (bitDepth == 16 || bitDepth == 32);
        ImageStatistics statistics = rescale || steps.stream().anyMatch(NormalizationStep::needsStatistics)
                ? ImageStatistics.of(adapted) : null;
        if (rescale) {
            double[] range = descriptor.inputRange();
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < adapted.channels(); c++) {
                lo = Math.min(lo, statistics.min(c));
                hi = Math.max(hi, statistics.max(c));
            }
            double scale = hi > lo ? (range[1] - range[0]) / (hi - lo) : 1;
            steps.add(0, NormalizationStep.linear(new double[] {scale}, new double[] {range[0] - lo * scale}));
            notes.add(bitDepth + "-bit values " + format(lo) + "–" + format(hi) + " were rescaled to "
                    + format(range[0]) + "–" + format(range[1]) + ", the range the model expects");
        }
        FittedNormalization normalization = FittedNormalization.fit(steps, adapted.channels(), statistics);
        int width = image.width();
        int height = image.height();
        if (!descriptor.isFixedSize() && (width < descriptor.minSize() || height < descriptor.minSize())) {
            throw new GenAiException("the image is " + width + "×" + height + " but " + descriptor.name()
                    + " needs at least " + descriptor.minSize() + "×" + descriptor.minSize() + " pixels");
        }
        boolean tiled = tileOverride > 0 || descriptor.strategy() == SegmentationDescriptor.Strategy.TILE;
        try {
            PlanarImage maps = tiled ? runTiled(adapted, normalization, tileOverride, progress, cancel)
                    : runResized(adapted, normalization, progress, cancel);
            return new Segmentation(maps, descriptor.outputKind(), descriptor.classNames(),
                    descriptor.backgroundClass(), foreground(maps), notes);
        } catch (OutOfMemoryError e) {
            throw new GenAiException("out of memory segmenting a " + width + "×" + height + " image"
                    + (tiled && tileOverride == 0 && descriptor.tile() == 0 ? " as one piece" : "")
                    + "; use tiling with a smaller tile (tile=512 in macros, --tile 512 on the command line) or "
                    + "give Java more memory (-Xmx)", e);
        }
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.format("%.4g", v);
    }

    private TileSource adaptChannels(TileSource image, List<String> notes) {
        int want = descriptor.channels();
        int have = image.channels();
        boolean bgr = descriptor.colorOrder().equals("BGR");
        if (have == want) {
            if (bgr && have == 3) {
                return remap(image, 3, (c, row, tmp) -> image.read(2 - c, row[0], row[1], row[2], tmp, 0));
            }
            return image;
        }
        if (want == 3 && have == 1) {
            notes.add("grey image: its values were copied to the R, G and B channels the model expects");
            return remap(image, 3, (c, row, tmp) -> image.read(0, row[0], row[1], row[2], tmp, 0));
        }
        if (want == 1 && have == 3) {
            notes.add("colour image: converted to grey (0.299·R + 0.587·G + 0.114·B) for this one-channel model");
            return new TileSource() {
                private float[] g = new float[0];
                private float[] b = new float[0];

                @Override
                public int width() {
                    return image.width();
                }

                @Override
                public int height() {
                    return image.height();
                }

                @Override
                public int channels() {
                    return 1;
                }

                @Override
                public void read(int channel, int y, int x, int length, float[] dest, int offset) {
                    if (g.length < length) {
                        g = new float[length];
                        b = new float[length];
                    }
                    image.read(0, y, x, length, dest, offset);
                    image.read(1, y, x, length, g, 0);
                    image.read(2, y, x, length, b, 0);
                    for (int i = 0; i < length; i++) {
                        dest[offset + i] = 0.299f * dest[offset + i] + 0.587f * g[i] + 0.114f * b[i];
                    }
                }
            };
        }
        throw new GenAiException(descriptor.name() + " expects " + want + " channel" + (want == 1 ? "" : "s")
                + " but the image has " + have + "; pick the matching channels first");
    }

    /** Reads channel {@code c} of the adapted source through {@code reader}. */
    private interface ChannelReader {
        void read(int channel, int[] yxLength, float[] dest);
    }

    private static TileSource remap(TileSource image, int channels, ChannelReader reader) {
        return new TileSource() {
            @Override
            public int width() {
                return image.width();
            }

            @Override
            public int height() {
                return image.height();
            }

            @Override
            public int channels() {
                return channels;
            }

            @Override
            public void read(int channel, int y, int x, int length, float[] dest, int offset) {
                float[] tmp = offset == 0 ? dest : new float[length];
                reader.read(channel, new int[] {y, x, length}, tmp);
                if (tmp != dest) {
                    System.arraycopy(tmp, 0, dest, offset, length);
                }
            }
        };
    }

    private PlanarImage runTiled(TileSource source, FittedNormalization normalization, int tileOverride,
            ProgressListener progress, CancellationToken cancel) {
        TileSpec spec;
        int multiple = descriptor.sizeMultiple();
        if (descriptor.isFixedSize()) {
            int w = descriptor.fixedWidth();
            int h = descriptor.fixedHeight();
            int overlap = Math.min(descriptor.overlap(), Math.min(w, h) / 2 / multiple * multiple);
            spec = new TileSpec(w, h, overlap, Math.min(descriptor.blend(), overlap), multiple, 1, Padding.REFLECT,
                    true);
        } else {
            int tile = tileOverride > 0 ? tileOverride : descriptor.tile();
            if (tile == 0) {
                spec = TileSpec.whole(multiple);
            } else {
                tile = Math.max(multiple, (tile + multiple - 1) / multiple * multiple);
                tile = Math.max(tile, descriptor.minSize());
                int overlap = Math.min(descriptor.overlap(), (tile / 2) / multiple * multiple);
                spec = new TileSpec(tile, tile, overlap, Math.min(descriptor.blend(), overlap), multiple, 1,
                        Padding.REFLECT, false);
            }
        }
        TileFunction function = tile -> infer(tile, normalization);
        return new TiledRunner(spec).run(source, function, progress, cancel);
    }

    private PlanarImage runResized(TileSource source, FittedNormalization normalization, ProgressListener progress,
            CancellationToken cancel) {
        cancel.throwIfCancelled();
        int width = source.width();
        int height = source.height();
        int modelWidth = descriptor.fixedWidth();
        int modelHeight = descriptor.fixedHeight();
        int channels = source.channels();
        float[] input = new float[channels * modelWidth * modelHeight];
        float[] plane = new float[width * height];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                source.read(c, y, 0, width, plane, y * width);
            }
            float[] small = BilinearResize.resize(plane, width, height, modelWidth, modelHeight,
                    descriptor.antialias());
            System.arraycopy(small, 0, input, c * small.length, small.length);
        }
        progress.progress(0, 1, "running " + descriptor.name() + " at " + modelWidth + "×" + modelHeight);
        Tensor out = infer(Tensor.ofFloats(input, channels, modelHeight, modelWidth), normalization);
        cancel.throwIfCancelled();
        int outChannels = (int) out.dim(0);
        float[][] planes = new float[outChannels][];
        float[] data = out.floats();
        int n = modelWidth * modelHeight;
        for (int c = 0; c < outChannels; c++) {
            float[] map = new float[n];
            System.arraycopy(data, c * n, map, 0, n);
            planes[c] = BilinearResize.resize(map, modelWidth, modelHeight, width, height, descriptor.antialias());
        }
        progress.progress(1, 1, "resized back to " + width + "×" + height);
        return new PlanarImage(width, height, planes);
    }

    /** Normalises a [C,h,w] tile in place, runs the network, and returns probabilities [C',h,w]. */
    private Tensor infer(Tensor tile, FittedNormalization normalization) {
        int c = (int) tile.dim(0);
        int h = (int) tile.dim(1);
        int w = (int) tile.dim(2);
        float[] data = tile.floats();
        int n = h * w;
        for (int k = 0; k < c; k++) {
            normalization.apply(k, data, k * n, n);
        }
        Tensor feed;
        switch (descriptor.inputLayout()) {
            case NHWC: {
                float[] hwc = new float[data.length];
                for (int k = 0; k < c; k++) {
                    for (int p = 0; p < n; p++) {
                        hwc[p * c + k] = data[k * n + p];
                    }
                }
                feed = Tensor.ofFloats(hwc, 1, h, w, c);
                break;
            }
            case NHW:
                feed = Tensor.ofFloats(data, 1, h, w);
                break;
            default:
                feed = Tensor.ofFloats(data, 1, c, h, w);
        }
        Map<String, Tensor> outputs = model.run(Map.of(inputName, feed), descriptor.name() + " on a " + w + "×" + h
                + " input");
        return probabilities(outputs.get(outputName), h, w);
    }

    private Tensor probabilities(Tensor out, int h, int w) {
        long[] shape = out.shape();
        int n = h * w;
        int channels;
        boolean channelsLast = false;
        if (shape.length == 4) {
            channelsLast = descriptor.outputLayout() == SegmentationDescriptor.Layout.NHWC;
            channels = (int) (channelsLast ? shape[3] : shape[1]);
        } else if (shape.length == 3 || shape.length == 2) {
            channels = 1;
        } else {
            throw new GenAiException(descriptor.name() + ": output '" + outputName + "' has shape "
                    + Arrays.toString(shape) + "; expected [1,C,H,W], [1,H,W,C], [1,H,W] or [H,W]");
        }
        if ((long) channels * n != out.size()) {
            throw new GenAiException(descriptor.name() + ": output '" + outputName + "' has shape "
                    + Arrays.toString(shape) + " for a " + w + "×" + h + " input; ij-genai expects an "
                    + "output of the input's size");
        }
        float[] values = floats(out);
        if (channelsLast) {
            float[] chw = new float[values.length];
            for (int p = 0; p < n; p++) {
                for (int k = 0; k < channels; k++) {
                    chw[k * n + p] = values[p * channels + k];
                }
            }
            values = chw;
        }
        switch (descriptor.outputKind()) {
            case FOREGROUND_LOGIT:
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (1 / (1 + Math.exp(-values[i])));
                }
                break;
            case LOGITS:
                softmax(values, channels, n);
                break;
            case LABELS:
                return oneHot(values, n, h, w);
            default:
                break;
        }
        return Tensor.ofFloats(values, channels, h, w);
    }

    private static float[] floats(Tensor out) {
        if (out.type() == ElementType.FLOAT32) {
            return out.floats().clone();
        }
        float[] values = new float[out.size()];
        if (out.type() == ElementType.INT64) {
            long[] longs = out.longs();
            for (int i = 0; i < values.length; i++) {
                values[i] = longs[i];
            }
        } else {
            int[] ints = out.ints();
            for (int i = 0; i < values.length; i++) {
                values[i] = ints[i];
            }
        }
        return values;
    }

    private static void softmax(float[] values, int channels, int n) {
        for (int p = 0; p < n; p++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < channels; k++) {
                max = Math.max(max, values[k * n + p]);
            }
            double sum = 0;
            for (int k = 0; k < channels; k++) {
                sum += Math.exp(values[k * n + p] - max);
            }
            for (int k = 0; k < channels; k++) {
                values[k * n + p] = (float) (Math.exp(values[k * n + p] - max) / sum);
            }
        }
    }

    /** Label outputs become one map per class, so tiles and resizing can blend them like probabilities. */
    private Tensor oneHot(float[] labels, int n, int h, int w) {
        int classes = descriptor.classNames().size();
        float[] maps = new float[classes * n];
        for (int p = 0; p < n; p++) {
            int label = Math.round(labels[p]);
            if (label < 0 || label >= classes) {
                throw new GenAiException(descriptor.name() + " returned label " + label + " but the descriptor lists "
                        + classes + " classes");
            }
            maps[label * n + p] = 1;
        }
        return Tensor.ofFloats(maps, classes, h, w);
    }

    private float[] foreground(PlanarImage maps) {
        int n = maps.width() * maps.height();
        OutputKind kind = descriptor.outputKind();
        if (maps.channels() == 1) {
            return maps.plane(0);
        }
        if (kind == OutputKind.MAPS || kind == OutputKind.FOREGROUND || kind == OutputKind.FOREGROUND_LOGIT) {
            int channel = descriptor.foregroundChannel();
            if (channel >= maps.channels()) {
                throw new GenAiException(descriptor.name() + ": foreground_channel " + channel + " but the output has "
                        + maps.channels() + " channels");
            }
            return maps.plane(channel);
        }
        float[] background = maps.plane(Math.min(descriptor.backgroundClass(), maps.channels() - 1));
        float[] foreground = new float[n];
        for (int i = 0; i < n; i++) {
            foreground[i] = 1 - background[i];
        }
        return foreground;
    }

    @Override
    public void close() {
        model.close();
    }
}
