package org.ijgenai.core.segment;

import java.util.Locale;

import org.ijgenai.core.GenAiException;

/** What a segmentation network's output tensor holds, as named in the descriptor's {@code output.kind}. */
public enum OutputKind {

    /** One channel, foreground probability in [0,1] (already through a sigmoid). */
    FOREGROUND("foreground"),

    /** One channel of logits; the runner applies the sigmoid. */
    FOREGROUND_LOGIT("foreground_logit"),

    /** One channel per class, probabilities that sum to one (already through a softmax). */
    SOFTMAX("softmax"),

    /** One channel per class, logits; the runner applies the softmax. */
    LOGITS("logits"),

    /** One integer class index per pixel. */
    LABELS("labels"),

    /** Several independent maps in [0,1] (e.g. foreground and boundaries); the foreground is one of them. */
    MAPS("maps");

    private final String key;

    OutputKind(String key) {
        this.key = key;
    }

    /** The name used in descriptor files. */
    public String key() {
        return key;
    }

    /** Whether the channels are mutually exclusive classes. */
    public boolean isClasses() {
        return this == SOFTMAX || this == LOGITS || this == LABELS;
    }

    /** Parses a descriptor value. @throws GenAiException listing the accepted names */
    public static OutputKind parse(String value, String where) {
        for (OutputKind kind : values()) {
            if (kind.key.equals(value.toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new GenAiException(where + ": output kind '" + value + "' is not one of foreground, foreground_logit, "
                + "softmax, logits, labels, maps");
    }
}
