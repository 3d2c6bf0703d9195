package org.ijgenai.core.style;

import java.util.Locale;

import org.ijgenai.core.GenAiException;

/** The axis order of a generator's image tensor: channels first (PyTorch exports) or channels last (TensorFlow). */
public enum TensorLayout {
    /** Batch, channels, height, width: PyTorch exports such as CycleGAN and fast-neural-style. */
    NCHW,
    /** Batch, height, width, channels: TensorFlow exports such as AnimeGANv2. */
    NHWC;

    /** Parses "NCHW" or "NHWC" (any case). @throws GenAiException naming the accepted values */
    public static TensorLayout parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new GenAiException("layout must be NCHW or NHWC, was '" + text + "'");
        }
    }
}
