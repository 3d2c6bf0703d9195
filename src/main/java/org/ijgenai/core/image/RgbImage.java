package org.ijgenai.core.image;

/**
 * An 8-bit RGB picture with interleaved samples (r, g, b per pixel, rows top to bottom), the form in which CLIP's
 * reference preprocessing (PIL mode "RGB") sees an image.
 */
public record RgbImage(int width, int height, byte[] rgb) {

    /** Checks that the samples fill the declared size. */
    public RgbImage {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be ≥ 1×1, was " + width + "×" + height);
        }
        if (rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException("a " + width + "×" + height + " RGB image needs "
                    + ((long) width * height * 3) + " samples, got " + rgb.length);
        }
    }

    /** The sample of channel {@code c} (0 red, 1 green, 2 blue) at (x, y), as 0–255. */
    public int sample(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xFF;
    }

    /** A grey image repeated into the three channels, as PIL's {@code convert("RGB")} does for mode "L". */
    public static RgbImage fromGrey(int width, int height, byte[] grey) {
        if (grey.length != (long) width * height) {
            throw new IllegalArgumentException("a " + width + "×" + height + " grey image needs " + (width * height)
                    + " samples, got " + grey.length);
        }
        byte[] rgb = new byte[grey.length * 3];
        for (int i = 0; i < grey.length; i++) {
            rgb[i * 3] = grey[i];
            rgb[i * 3 + 1] = grey[i];
            rgb[i * 3 + 2] = grey[i];
        }
        return new RgbImage(width, height, rgb);
    }

    /** The pixels packed as 0xRRGGBB ints, row by row (ImageJ's ColorProcessor layout). */
    public int[] packed() {
        int[] out = new int[width * height];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((rgb[i * 3] & 0xFF) << 16) | ((rgb[i * 3 + 1] & 0xFF) << 8) | (rgb[i * 3 + 2] & 0xFF);
        }
        return out;
    }
}
