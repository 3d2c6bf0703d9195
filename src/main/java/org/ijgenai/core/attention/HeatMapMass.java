package org.ijgenai.core.attention;

/**
 * How much of a heat map's mass lies inside a region of the image: the measurement that says whether a word's map
 * sits on the object the word names ("red circle" inside the circle, "blue background" outside it).
 */
public final class HeatMapMass {

    private HeatMapMass() {
    }

    /** Σ max(map, 0) inside {@code region} / Σ max(map, 0), or NaN for a map without positive mass. */
    public static double fractionInside(float[] map, boolean[] region) {
        if (map.length != region.length) {
            throw new IllegalArgumentException("map of " + map.length + " values, region of " + region.length);
        }
        double inside = 0;
        double total = 0;
        for (int i = 0; i < map.length; i++) {
            double v = Math.max(0, map[i]);
            total += v;
            if (region[i]) {
                inside += v;
            }
        }
        return total > 0 ? inside / total : Double.NaN;
    }

    /**
     * The pixels of a planar RGB image in [0, 1] where one channel clearly dominates the two others: the red object
     * of a shapes-sd picture for {@code channel} 0.
     *
     * @param margin how much the channel must exceed each other channel
     */
    public static boolean[] dominantChannel(float[] planarRgb, int width, int height, int channel, float margin) {
        int plane = width * height;
        if (planarRgb.length != 3 * plane) {
            throw new IllegalArgumentException("expected 3 planes of " + width + "×" + height);
        }
        boolean[] region = new boolean[plane];
        for (int i = 0; i < plane; i++) {
            float own = planarRgb[channel * plane + i];
            float a = planarRgb[((channel + 1) % 3) * plane + i];
            float b = planarRgb[((channel + 2) % 3) * plane + i];
            region[i] = own - a > margin && own - b > margin;
        }
        return region;
    }
}
