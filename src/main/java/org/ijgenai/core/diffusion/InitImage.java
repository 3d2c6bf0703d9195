package org.ijgenai.core.diffusion;

/**
 * An 8-bit RGB image that starts an img2img run, interleaved row-major bytes, with a note of where it came from
 * (recorded with the result).
 */
public record InitImage(byte[] rgb, int width, int height, String source) {

    /** diffusers' ONNX img2img preprocessing crops sizes down to multiples of 64. */
    public static final int SIZE_MULTIPLE = 64;

    /** Checks the pixel count. */
    public InitImage {
        if (width < 1 || height < 1 || rgb.length != width * height * 3) {
            throw new IllegalArgumentException("init image data must hold width×height×3 bytes");
        }
        if (width < SIZE_MULTIPLE || height < SIZE_MULTIPLE) {
            throw new IllegalArgumentException("the init image must be at least " + SIZE_MULTIPLE + "×"
                    + SIZE_MULTIPLE + " pixels, was " + width + "×" + height);
        }
    }

    /** Builds an init image from packed 0xRRGGBB pixels (alpha ignored). */
    public static InitImage fromPackedRgb(int[] pixels, int width, int height, String source) {
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++) {
            int p = pixels[i];
            rgb[i * 3] = (byte) (p >> 16);
            rgb[i * 3 + 1] = (byte) (p >> 8);
            rgb[i * 3 + 2] = (byte) p;
        }
        return new InitImage(rgb, width, height, source);
    }

    /** The width diffusers works at: the largest multiple of 64 not above the image's. */
    public int workingWidth() {
        return width - width % SIZE_MULTIPLE;
    }

    /** The height diffusers works at: the largest multiple of 64 not above the image's. */
    public int workingHeight() {
        return height - height % SIZE_MULTIPLE;
    }

    /**
     * diffusers' {@code preprocess}: Lanczos resize to the working size (as Pillow does it), x/255, then 2x − 1,
     * planar [1, 3, H, W] float32.
     */
    public float[] toModelInput() {
        int w = workingWidth();
        int h = workingHeight();
        byte[] resized = PilLanczos.resize(rgb, width, height, w, h);
        int plane = w * h;
        float[] out = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                float unit = (resized[i * 3 + c] & 0xFF) / 255.0f;
                out[c * plane + i] = 2.0f * unit - 1.0f;
            }
        }
        return out;
    }
}
