package org.ijgenai.core.style;

import java.util.Locale;

import org.ijgenai.core.GenAiException;

/** The order of the colour channels a generator expects and returns: RGB (PIL, PyTorch) or BGR (OpenCV). */
public enum ColorOrder {
    /** Red, green, blue. */
    RGB,
    /** Blue, green, red, as OpenCV loads images. */
    BGR;

    /** Parses "RGB" or "BGR" (any case). @throws GenAiException naming the accepted values */
    public static ColorOrder parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new GenAiException("colorOrder must be RGB or BGR, was '" + text + "'");
        }
    }
}
