package org.ijgenai.core.diffusion;

import org.ijgenai.core.image.PilFilter;
import org.ijgenai.core.image.PilResampler;
import org.ijgenai.core.image.RgbImage;

/**
 * The image and mask an inpainting run starts from, and diffusers' {@code prepare_mask_and_masked_image} of the
 * ONNX inpainting pipeline over them: white (255) in the mask means repaint.
 *
 * @param image the 8-bit RGB image
 * @param mask 8-bit grey, the image's size, 255 = repaint
 * @param source where the image came from, recorded with the result (or null)
 */
public record InpaintImage(RgbImage image, byte[] mask, String source) {

    /** Checks the mask is the image's size. */
    public InpaintImage {
        if (mask.length != image.width() * image.height()) {
            throw new IllegalArgumentException("the mask must be the image's size, " + image.width() + "×"
                    + image.height() + ", but holds " + mask.length + " pixels");
        }
    }

    /** The image width. */
    public int width() {
        return image.width();
    }

    /** The image height. */
    public int height() {
        return image.height();
    }

    /** Whether any mask pixel is non-zero. */
    public boolean hasMaskedPixels() {
        for (byte b : mask) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * diffusers' masked image, [1, 3, height, width] planar: the image resized (PIL's default bicubic) to the
     * working size, x / 127.5 − 1, times (mask &lt; 127.5) where the mask is resized the same way; so pixels whose
     * mask value is 128 or more become 0.
     */
    public float[] maskedImageInput(int width, int height) {
        RgbImage resized = PilResampler.resize(image, width, height, PilFilter.BICUBIC);
        byte[] grey = resizeGrey(mask, image.width(), image.height(), width, height, PilFilter.BICUBIC);
        int plane = width * height;
        float[] out = new float[3 * plane];
        byte[] rgb = resized.rgb();
        for (int i = 0; i < plane; i++) {
            boolean keep = (grey[i] & 0xFF) < 127.5;
            for (int c = 0; c < 3; c++) {
                float v = (rgb[i * 3 + c] & 0xFF) / 127.5f - 1.0f;
                out[c * plane + i] = keep ? v : 0f;
            }
        }
        return out;
    }

    /**
     * diffusers' latent mask, [1, 1, h, w]: the mask resized to the latent size with PIL's nearest neighbour,
     * / 255, then 0 below 0.5 and 1 from 0.5.
     */
    public float[] latentMask(int latentWidth, int latentHeight) {
        byte[] grey = resizeGrey(mask, image.width(), image.height(), latentWidth, latentHeight, PilFilter.NEAREST);
        float[] out = new float[grey.length];
        for (int i = 0; i < grey.length; i++) {
            out[i] = (grey[i] & 0xFF) / 255.0f >= 0.5f ? 1f : 0f;
        }
        return out;
    }

    /**
     * The soft mask at the latent size, the area average (PIL's box filter) / 255, for latent-mask inpainting of
     * 4-channel models, where grey values take part in differential diffusion.
     */
    public float[] softLatentMask(int latentWidth, int latentHeight) {
        byte[] grey = resizeGrey(mask, image.width(), image.height(), latentWidth, latentHeight, PilFilter.BOX);
        float[] out = new float[grey.length];
        for (int i = 0; i < grey.length; i++) {
            out[i] = (grey[i] & 0xFF) / 255.0f;
        }
        return out;
    }

    /** The image at the working size, as the 4-channel path encodes it: x / 127.5 − 1, planar [1, 3, H, W]. */
    public float[] imageInput(int width, int height) {
        RgbImage resized = PilResampler.resize(image, width, height, PilFilter.BICUBIC);
        int plane = width * height;
        float[] out = new float[3 * plane];
        byte[] rgb = resized.rgb();
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                out[c * plane + i] = (rgb[i * 3 + c] & 0xFF) / 127.5f - 1.0f;
            }
        }
        return out;
    }

    /** An 8-bit grey plane resized as Pillow resizes mode "L" (each RGB channel of a grey image resizes alike). */
    static byte[] resizeGrey(byte[] grey, int width, int height, int newWidth, int newHeight, PilFilter filter) {
        if (width == newWidth && height == newHeight) {
            return grey.clone();
        }
        byte[] rgb = PilResampler.resize(RgbImage.fromGrey(width, height, grey), newWidth, newHeight, filter).rgb();
        byte[] out = new byte[newWidth * newHeight];
        for (int i = 0; i < out.length; i++) {
            out[i] = rgb[i * 3];
        }
        return out;
    }
}
