package org.ijgenai.core.segment;

import java.util.Locale;

/** Puts the foreground of an RGB image on a plain background colour, using a segmentation's foreground map. */
public final class BackgroundRemoval {

    private BackgroundRemoval() {}

    /**
     * Composites {@code rgb} over {@code background}.
     *
     * @param rgb packed 0xRRGGBB pixels
     * @param foreground the foreground probability per pixel
     * @param threshold the cut-off for a hard mask
     * @param soft true to use the probability itself as opacity (soft edges, hair), false for the hard mask
     * @param background packed 0xRRGGBB colour
     * @return new packed pixels
     */
    public static int[] composite(int[] rgb, float[] foreground, double threshold, boolean soft, int background) {
        if (rgb.length != foreground.length) {
            throw new IllegalArgumentException("image has " + rgb.length + " pixels but the map has "
                    + foreground.length);
        }
        int br = (background >> 16) & 0xff;
        int bg = (background >> 8) & 0xff;
        int bb = background & 0xff;
        int[] out = new int[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            float p = foreground[i];
            float alpha = soft ? Math.max(0f, Math.min(1f, p)) : (p >= threshold ? 1f : 0f);
            int c = rgb[i];
            int r = Math.round(alpha * ((c >> 16) & 0xff) + (1 - alpha) * br);
            int g = Math.round(alpha * ((c >> 8) & 0xff) + (1 - alpha) * bg);
            int b = Math.round(alpha * (c & 0xff) + (1 - alpha) * bb);
            out[i] = (r << 16) | (g << 8) | b;
        }
        return out;
    }

    /**
     * Parses a colour: a name (white, black, grey, red, green, blue, yellow, cyan, magenta) or hex {@code #RRGGBB}.
     *
     * @throws IllegalArgumentException listing the accepted forms
     */
    public static int parseColour(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "white":
                return 0xffffff;
            case "black":
                return 0x000000;
            case "grey":
            case "gray":
                return 0x808080;
            case "red":
                return 0xff0000;
            case "green":
                return 0x00ff00;
            case "blue":
                return 0x0000ff;
            case "yellow":
                return 0xffff00;
            case "cyan":
                return 0x00ffff;
            case "magenta":
                return 0xff00ff;
            default:
                String hex = v.startsWith("#") ? v.substring(1) : v;
                if (hex.matches("[0-9a-f]{6}")) {
                    return Integer.parseInt(hex, 16);
                }
                throw new IllegalArgumentException("background colour '" + value + "' is not a colour name (white, "
                        + "black, grey, red, green, blue, yellow, cyan, magenta) or #RRGGBB");
        }
    }
}
