package org.ijgenai.core.diffusion;

import java.util.Locale;

/**
 * What the masked region starts from in latent-mask inpainting with a 4-channel model: A1111's "masked content"
 * choices.
 */
public enum MaskedContent {
    /** The original pixels, re-noised to the strength. */
    ORIGINAL,
    /** The surroundings blurred into the hole before encoding (A1111's {@code masking.fill}). */
    FILL,
    /** Fresh Gaussian noise in the latents of the masked region. */
    LATENT_NOISE,
    /** Zero latents in the masked region. */
    LATENT_NOTHING;

    /** The name used on the command line and in macros: original, fill, latent_noise, latent_nothing. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The choice named {@code key} (case and spaces or dashes for underscores are forgiven). */
    public static MaskedContent parse(String key) {
        String k = key.strip().toLowerCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
        for (MaskedContent m : values()) {
            if (m.key().equals(k)) {
                return m;
            }
        }
        throw new IllegalArgumentException("masked content must be original, fill, latent_noise or latent_nothing,"
                + " was '" + key + "'");
    }
}
