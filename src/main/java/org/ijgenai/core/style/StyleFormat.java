package org.ijgenai.core.style;

import java.nio.file.Path;
import java.util.Locale;

import org.ijgenai.core.GenAiException;

/**
 * The public generator families that run out of the box, each with the pre- and post-processing its reference
 * code documents (see docs/style-transfer.md for the sources).
 */
public enum StyleFormat {
    /**
     * AnimeGANv2 ONNX exports (TensorFlow graphs): NHWC, RGB, p / 127.5 − 1, output (y + 1) / 2 · 255 clipped.
     * The generator downsamples twice and its reference code sizes images to multiples of 8 or 32.
     */
    ANIMEGAN("animegan", TensorLayout.NHWC, ValueRange.MINUS_ONE_TO_ONE, ColorOrder.RGB, 8),
    /**
     * CycleGAN / pix2pix generators exported from the reference PyTorch code: NCHW, RGB, Normalize(0.5, 0.5)
     * i.e. [−1, 1], output (y + 1) / 2 · 255. ResNet generators need multiples of 4 (U-Net-256 needs 256: write a
     * descriptor with {@code "sizeMultiple": 256}).
     */
    CYCLEGAN("cyclegan", TensorLayout.NCHW, ValueRange.MINUS_ONE_TO_ONE, ColorOrder.RGB, 4),
    /**
     * The ONNX Model Zoo fast-neural-style models (mosaic, candy, udnie, rain-princess, pointilism): NCHW, RGB,
     * raw 0–255 values with no mean subtracted, output clipped to 0–255. Their transformer downsamples twice.
     */
    FAST_NEURAL_STYLE("fast-neural-style", TensorLayout.NCHW, ValueRange.ZERO_TO_255, ColorOrder.RGB, 4);

    /** The largest tile side the ready descriptors use; bigger tiles mean fewer seams but more native memory. */
    public static final int DEFAULT_MAX_TILE = 1024;
    /**
     * The tile overlap the ready descriptors use: 36 pixels are discarded at each inner tile edge and 24 feathered,
     * for about 10 % extra work at the default tile size.
     */
    public static final int DEFAULT_OVERLAP = 96;

    private final String id;
    private final TensorLayout layout;
    private final ValueRange range;
    private final ColorOrder colorOrder;
    private final int sizeMultiple;

    StyleFormat(String id, TensorLayout layout, ValueRange range, ColorOrder colorOrder, int sizeMultiple) {
        this.id = id;
        this.layout = layout;
        this.range = range;
        this.colorOrder = colorOrder;
        this.sizeMultiple = sizeMultiple;
    }

    /** The name used by {@code --format}, macros and descriptors, e.g. {@code fast-neural-style}. */
    public String id() {
        return id;
    }

    /** The family's ready descriptor for one ONNX file, using the network's first input and output. */
    public StyleDescriptor descriptorFor(Path onnxFile) {
        return new StyleDescriptor(id + " (" + onnxFile.getFileName() + ")", onnxFile, null, null, layout, range,
                colorOrder, sizeMultiple, DEFAULT_MAX_TILE, DEFAULT_OVERLAP);
    }

    /** The ids of all families, for messages and choice lists. */
    public static String[] ids() {
        StyleFormat[] all = values();
        String[] ids = new String[all.length];
        for (int i = 0; i < all.length; i++) {
            ids[i] = all[i].id;
        }
        return ids;
    }

    /** Parses a family id (any case). @throws GenAiException listing the known ids */
    public static StyleFormat parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (StyleFormat format : values()) {
            if (format.id.equals(t)) {
                return format;
            }
        }
        throw new GenAiException("unknown format '" + text + "'; expected one of "
                + String.join(", ", ids()));
    }
}
