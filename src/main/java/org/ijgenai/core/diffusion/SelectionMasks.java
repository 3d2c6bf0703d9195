package org.ijgenai.core.diffusion;

import org.ijgenai.core.image.MaskFilters;

/**
 * The two masks made from a selection, as Krita AI Diffusion's {@code calc_selection_pre_process} describes them:
 * the denoise mask (selection → dilate by {@code grow} → tent blur of size {@code feather}) tells the model where
 * to repaint, and the composite mask (grown selection → erode by blend / 2 → Gaussian blur of size {@code blend})
 * pastes the result back.
 *
 * <p>The composite mask starts from the grown selection itself rather than from the feathered one (Krita
 * thresholds the feathered mask at 0): the erosion by blend / 2 and the blur's half-width of blend / 2 then keep
 * it inside the grown selection, so every pixel outside the grown selection keeps its original value exactly.
 *
 * @param denoise the mask the model repaints, in [0, 1]
 * @param composite the weight of the generated pixels when compositing, in [0, 1], 0 outside the grown selection
 * @param grown the selection after growing, 0 or 1 (or the soft selection itself when grow is 0)
 */
public record SelectionMasks(float[] denoise, float[] composite, float[] grown, int width, int height) {

    /** Checks the sizes. */
    public SelectionMasks {
        int n = width * height;
        if (denoise.length != n || composite.length != n || grown.length != n) {
            throw new IllegalArgumentException("masks must hold " + width + "×" + height + " values");
        }
    }

    /**
     * Computes both masks.
     *
     * @param selection the selection in [0, 1] (1 = repaint; grey values are soft edges)
     * @param grow dilation radius in pixels, ≥ 0
     * @param feather size of the tent blur of the denoise mask in pixels, ≥ 0
     * @param blend size of the composite mask's transition in pixels, ≥ 0
     */
    public static SelectionMasks of(float[] selection, int width, int height, int grow, int feather, int blend) {
        if (grow < 0 || feather < 0 || blend < 0) {
            throw new IllegalArgumentException("grow, feather and blend must be ≥ 0 pixels, were " + grow + ", "
                    + feather + ", " + blend);
        }
        float[] grown = grow > 0 ? MaskFilters.dilate(selection, width, height, grow) : selection.clone();
        float[] denoise = feather > 0 ? MaskFilters.blurLinear(grown, width, height, feather) : grown.clone();
        float[] support = MaskFilters.threshold(grown, 0f);
        float[] composite = blend > 0
                ? MaskFilters.blurGaussian(MaskFilters.erode(support, width, height, blend / 2), width, height, blend)
                : grown.clone();
        return new SelectionMasks(denoise, composite, grown, width, height);
    }

    /** The denoise mask as 8-bit grey, 255 = repaint: the white-on-black image diffusers takes as mask_image. */
    public byte[] denoiseGrey() {
        return toGrey(denoise);
    }

    /** A mask in [0, 1] as 8-bit grey, rounded. */
    public static byte[] toGrey(float[] mask) {
        byte[] out = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = (byte) Math.round(Math.max(0f, Math.min(1f, mask[i])) * 255f);
        }
        return out;
    }

    /** 8-bit grey as a mask in [0, 1]. */
    public static float[] fromGrey(byte[] grey) {
        float[] out = new float[grey.length];
        for (int i = 0; i < grey.length; i++) {
            out[i] = (grey[i] & 0xFF) / 255f;
        }
        return out;
    }
}
