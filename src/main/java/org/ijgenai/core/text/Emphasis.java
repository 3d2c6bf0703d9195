package org.ijgenai.core.text;

import java.util.Locale;

import org.ijgenai.core.GenAiException;

/**
 * How prompt weights such as {@code (word:1.3)} act on the text encoder's hidden states: A1111's emphasis
 * options ({@code modules/sd_emphasis.py}) plus ComfyUI's interpolation towards the empty prompt.
 */
public enum Emphasis {

    /** A1111's default: multiply each token's hidden state by its weight, then rescale the chunk to its old mean. */
    ORIGINAL("Original"),
    /** A1111's "No norm": multiply by the weights without restoring the mean. */
    NO_NORM("No norm"),
    /** ComfyUI's weighting: {@code z_empty + (z − z_empty)·w}, z_empty being the empty prompt's hidden states. */
    COMFY("Comfy"),
    /** Brackets are parsed away but the weights are not applied. */
    IGNORE("Ignore"),
    /** No attention syntax at all: brackets and {@code BREAK} are ordinary text. */
    NONE("None");

    private final String label;

    Emphasis(String label) {
        this.label = label;
    }

    /** The name in the parameters (A1111's option name, "Comfy" for ComfyUI's). */
    public String label() {
        return label;
    }

    /** Whether prompts are parsed for brackets, weights and {@code BREAK}. */
    public boolean parses() {
        return this != NONE;
    }

    /** Whether the weights change the hidden states. */
    public boolean applies() {
        return this == ORIGINAL || this == NO_NORM || this == COMFY;
    }

    /**
     * The mode of a label, case and spaces ignored ("original", "No norm", "no-norm", "comfy", ...).
     *
     * @throws GenAiException listing the known modes
     */
    public static Emphasis fromLabel(String label) {
        String key = label.trim().toLowerCase(Locale.ROOT).replaceAll("[\\s_-]+", "");
        for (Emphasis e : values()) {
            if (e.label.toLowerCase(Locale.ROOT).replace(" ", "").equals(key) || e.name().toLowerCase(Locale.ROOT)
                    .replace("_", "").equals(key) || (e == COMFY && key.equals("comfyui"))) {
                return e;
            }
        }
        throw new GenAiException("unknown emphasis '" + label + "'; known: Original, No norm, Comfy, Ignore, None");
    }
}
