package org.ijgenai.core.diffusion;

/** The size an inpainting run generates at: the request's, or else the image's rounded down to multiples of 8. */
final class InpaintSize {

    private InpaintSize() {}

    /** {width, height}. */
    static int[] of(GenerationRequest request, InpaintImage image) {
        int w = request.width() > 0 ? request.width() : image.width() - image.width() % 8;
        int h = request.height() > 0 ? request.height() : image.height() - image.height() % 8;
        if (w < 8 || h < 8) {
            throw new IllegalArgumentException("the image to inpaint must be at least 8×8 pixels, was "
                    + image.width() + "×" + image.height());
        }
        return new int[] {w, h};
    }
}
