package org.ijgenai.core.diffusion;

import java.util.Locale;
import java.util.Map;

/**
 * How a selection is turned into masks, which part of the image the model sees, and how the result is pasted back,
 * validated on construction.
 *
 * @param grow dilation of the selection in pixels
 * @param feather size of the denoise mask's soft edge in pixels
 * @param blend size of the composite mask's transition in pixels (inside the grown selection)
 * @param context {@code MASKED}: the selection's box plus {@code padding}, expanded to the generation aspect, is
 *     generated at the generation size and pasted back; {@code WHOLE}: the whole image is
 * @param padding pixels around the selection's box in {@code MASKED} context
 * @param composite whether the result is composited over the original with the composite mask (off returns the
 *     pipeline's raw output, what diffusers returns)
 * @param maskedContent what the masked part starts from (4-channel models)
 * @param strength how much is re-noised, in [0, 1] (4-channel models); 0 changes nothing
 */
public record InpaintSettings(int grow, int feather, int blend, Context context, int padding, boolean composite,
        MaskedContent maskedContent, double strength) {

    /** Which part of the image the model sees. */
    public enum Context {
        /** The selection's box plus padding (A1111's "only masked"). */
        MASKED,
        /** The whole image. */
        WHOLE;

        /** The key used on the command line and in macros. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The context named {@code key}: masked (or "only masked") or whole. */
        public static Context parse(String key) {
            String k = key.strip().toLowerCase(Locale.ROOT);
            if (k.equals("masked") || k.equals("only masked") || k.equals("only_masked")) {
                return MASKED;
            }
            if (k.equals("whole") || k.equals("whole image") || k.equals("whole_image")) {
                return WHOLE;
            }
            throw new IllegalArgumentException("context must be masked or whole, was '" + key + "'");
        }
    }

    /** The default grow, feather, blend and padding in pixels. */
    public static final int DEFAULT_GROW = 4;
    /** The default feather. */
    public static final int DEFAULT_FEATHER = 8;
    /** The default blend. */
    public static final int DEFAULT_BLEND = 8;
    /** The default padding around the selection in "masked" context. */
    public static final int DEFAULT_PADDING = 32;

    /** Validates every field, naming it. */
    public InpaintSettings {
        if (grow < 0 || grow > 4096) {
            throw new IllegalArgumentException("grow must be in [0, 4096] pixels, was " + grow);
        }
        if (feather < 0 || feather > 4096) {
            throw new IllegalArgumentException("feather must be in [0, 4096] pixels, was " + feather);
        }
        if (blend < 0 || blend > 4096) {
            throw new IllegalArgumentException("blend must be in [0, 4096] pixels, was " + blend);
        }
        if (padding < 0 || padding > 8192) {
            throw new IllegalArgumentException("padding must be in [0, 8192] pixels, was " + padding);
        }
        if (context == null || maskedContent == null) {
            throw new IllegalArgumentException("context and masked content are required");
        }
        if (!(strength >= 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in [0, 1], was " + strength);
        }
    }

    /** The defaults: grow 4, feather 8, blend 8, only the masked part with 32 px padding, composite on, original, 1. */
    public static InpaintSettings defaults() {
        return new InpaintSettings(DEFAULT_GROW, DEFAULT_FEATHER, DEFAULT_BLEND, Context.MASKED, DEFAULT_PADDING, true,
                MaskedContent.ORIGINAL, 1.0);
    }

    /**
     * Outpainting's defaults: the mask grows 8 px into the original so the seam is redrawn, and blends over 8 px;
     * otherwise as {@link #defaults()}.
     */
    public static InpaintSettings expandDefaults() {
        return new InpaintSettings(8, DEFAULT_FEATHER, DEFAULT_BLEND, Context.MASKED, DEFAULT_PADDING, true,
                MaskedContent.ORIGINAL, 1.0);
    }

    /**
     * The command line's defaults for a mask file: the mask as drawn (no grow, no feather), composited with an
     * 8 px blend; otherwise as {@link #defaults()}.
     */
    public static InpaintSettings maskFileDefaults() {
        return new InpaintSettings(0, 0, DEFAULT_BLEND, Context.MASKED, DEFAULT_PADDING, true, MaskedContent.ORIGINAL,
                1.0);
    }

    /** Exactly diffusers' call: the mask as given, the whole image, no compositing. */
    public static InpaintSettings raw() {
        return new InpaintSettings(0, 0, 0, Context.WHOLE, 0, false, MaskedContent.ORIGINAL, 1.0);
    }

    /** The settings as text for the result's parameters. */
    public void describe(Map<String, String> map) {
        map.put("grow", Integer.toString(grow));
        map.put("feather", Integer.toString(feather));
        map.put("blend", Integer.toString(blend));
        map.put("context", context.key());
        if (context == Context.MASKED) {
            map.put("padding", Integer.toString(padding));
        }
        map.put("composite", composite ? "on" : "off");
    }
}
