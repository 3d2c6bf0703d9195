package org.ijgenai.core.style;

import java.util.Locale;

import org.ijgenai.core.GenAiException;

/**
 * The value range of a generator's input and output pixels, with the exact mapping from and to intensities in
 * [0, 1] (an 8-bit pixel p is p / 255 there).
 */
public enum ValueRange {
    /** [−1, 1]: x = 2v − 1, i.e. p / 127.5 − 1 (AnimeGAN, CycleGAN, pix2pix); output v = (y + 1) / 2. */
    MINUS_ONE_TO_ONE("-1..1"),
    /** [0, 1]: x = v (torchvision's ToTensor); output v = y. */
    ZERO_TO_ONE("0..1"),
    /** [0, 255]: x = 255 v, i.e. the raw 8-bit value, no mean subtracted (fast-neural-style); output v = y / 255. */
    ZERO_TO_255("0..255");

    private final String label;

    ValueRange(String label) {
        this.label = label;
    }

    /** The descriptor spelling, e.g. {@code -1..1}. */
    public String label() {
        return label;
    }

    /** Maps an intensity in [0, 1] into this range. */
    public float encode(float v) {
        switch (this) {
            case MINUS_ONE_TO_ONE:
                return v * 2f - 1f;
            case ZERO_TO_ONE:
                return v;
            default:
                return v * 255f;
        }
    }

    /** Maps a network output in this range back to [0, 1], clipping what falls outside (as every reference does). */
    public float decode(float y) {
        float v;
        switch (this) {
            case MINUS_ONE_TO_ONE:
                v = (y + 1f) * 0.5f;
                break;
            case ZERO_TO_ONE:
                v = y;
                break;
            default:
                v = y / 255f;
                break;
        }
        // NaN (a broken network) becomes 0 rather than poisoning the blend.
        return v >= 0f ? (v <= 1f ? v : 1f) : 0f;
    }

    /**
     * Parses a descriptor value: {@code -1..1}, {@code 0..1}, {@code 0..255}, also written as {@code [-1,1]},
     * {@code [0,1]}, {@code [0,255]}.
     *
     * @throws GenAiException naming the accepted spellings
     */
    public static ValueRange parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace(" ", "").replace("[", "").replace("]", "")
                .replace(",", "..");
        for (ValueRange range : values()) {
            if (range.label.equals(t)) {
                return range;
            }
        }
        throw new GenAiException("range must be -1..1, 0..1 or 0..255, was '" + text + "'");
    }
}
