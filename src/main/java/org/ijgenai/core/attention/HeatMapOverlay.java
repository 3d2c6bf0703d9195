package org.ijgenai.core.attention;

/**
 * A word's heat map laid over the generated image: the map scaled to [0, 1] as DAAM displays it, coloured through a
 * 256-entry lookup table and blended with the image at an opacity that grows with the heat, so cold regions show
 * the picture and hot ones the colour.
 */
public final class HeatMapOverlay {

    private HeatMapOverlay() {
    }

    /**
     * Blends {@code map} over {@code rgb}.
     *
     * @param rgb packed 0xRRGGBB pixels
     * @param map the word's heat map at the image's size, any range (min-max scaled here)
     * @param lut 256 packed colours, cold to hot
     * @param opacity the colour's weight at the hottest pixel, in [0, 1]
     */
    public static int[] blend(int[] rgb, float[] map, int[] lut, double opacity) {
        if (rgb.length != map.length) {
            throw new IllegalArgumentException("image of " + rgb.length + " pixels, map of " + map.length);
        }
        if (lut.length != 256) {
            throw new IllegalArgumentException("a lookup table has 256 colours, not " + lut.length);
        }
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity must be in [0, 1], was " + opacity);
        }
        float[] scaled = DaamHeatMaps.minMax(map);
        int[] out = new int[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            float heat = Math.max(0f, Math.min(1f, scaled[i]));
            int colour = lut[Math.round(heat * 255)];
            double a = opacity * heat;
            out[i] = mix(rgb[i] >> 16 & 0xff, colour >> 16 & 0xff, a) << 16
                    | mix(rgb[i] >> 8 & 0xff, colour >> 8 & 0xff, a) << 8 | mix(rgb[i] & 0xff, colour & 0xff, a);
        }
        return out;
    }

    private static int mix(int image, int colour, double a) {
        return (int) Math.round(image * (1 - a) + colour * a);
    }

    /** matplotlib's "jet" colour map (the one DAAM plots with) as 256 packed colours. */
    public static int[] jet() {
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            double x = i / 255.0;
            int r = channel(1.5 - Math.abs(4 * x - 3));
            int g = channel(1.5 - Math.abs(4 * x - 2));
            int b = channel(1.5 - Math.abs(4 * x - 1));
            lut[i] = r << 16 | g << 8 | b;
        }
        return lut;
    }

    private static int channel(double v) {
        return (int) Math.round(255 * Math.max(0, Math.min(1, v)));
    }
}
