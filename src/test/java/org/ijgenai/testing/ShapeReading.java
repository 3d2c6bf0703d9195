package org.ijgenai.testing;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import ij.process.ImageProcessor;

/**
 * Reads a shapes-sd picture back, as {@code tools/train/shape_checker.py} does for the training figures, with
 * independent means: the background is the nearest dataset colour to the median of a 3-pixel border, the object
 * is the largest connected set of pixels far from it, and its number of points is the number of peaks in its
 * outline's distance from the centroid (a star has 5, a circle none).
 */
public final class ShapeReading {

    /** The dataset's colours ({@code tools/train/shapes_dataset.py COLOURS}). */
    public static final Map<String, int[]> COLOURS = new LinkedHashMap<>();

    static {
        COLOURS.put("red", new int[] {220, 40, 40});
        COLOURS.put("green", new int[] {40, 170, 60});
        COLOURS.put("blue", new int[] {40, 70, 220});
        COLOURS.put("yellow", new int[] {235, 215, 40});
        COLOURS.put("orange", new int[] {240, 140, 30});
        COLOURS.put("purple", new int[] {140, 50, 180});
        COLOURS.put("white", new int[] {240, 240, 240});
        COLOURS.put("black", new int[] {25, 25, 25});
    }

    /**
     * What a picture shows.
     *
     * @param colour the object's colour name
     * @param background the background's colour name
     * @param objects connected objects of at least 20 pixels
     * @param points peaks of the largest object's outline
     */
    public record Reading(String colour, String background, int objects, int points) {}

    private ShapeReading() {}

    /** Reads an RGB picture. */
    public static Reading read(ImageProcessor rgb) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[][] pixels = new int[w * h][];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb.getPixel(x, y);
                pixels[y * w + x] = new int[] {(p >> 16) & 255, (p >> 8) & 255, p & 255};
            }
        }
        int[] bg = borderMedian(pixels, w, h);
        boolean[] far = new boolean[w * h];
        for (int i = 0; i < far.length; i++) {
            double d = 0;
            for (int c = 0; c < 3; c++) {
                d += Math.pow(pixels[i][c] - bg[c], 2);
            }
            far[i] = Math.sqrt(d) > 60;
        }
        int[] labels = new int[w * h];
        int objects = 0;
        int largest = 0;
        int largestSize = 0;
        int next = 0;
        for (int i = 0; i < labels.length; i++) {
            if (far[i] && labels[i] == 0) {
                int size = flood(far, labels, w, h, i, ++next);
                objects += size >= 20 ? 1 : 0;
                if (size > largestSize) {
                    largestSize = size;
                    largest = next;
                }
            }
        }
        if (largestSize == 0) {
            return new Reading(null, nearest(bg), 0, 0);
        }
        int[][] inside = new int[3][largestSize];
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == largest) {
                for (int c = 0; c < 3; c++) {
                    inside[c][n] = pixels[i][c];
                }
                n++;
            }
        }
        int[] fg = {median(inside[0]), median(inside[1]), median(inside[2])};
        return new Reading(nearest(fg), nearest(bg), objects, points(labels, largest, w, h));
    }

    private static int[] borderMedian(int[][] pixels, int w, int h) {
        int[][] border = new int[3][];
        java.util.List<int[]> list = new java.util.ArrayList<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (x < 3 || y < 3 || x >= w - 3 || y >= h - 3) {
                    list.add(pixels[y * w + x]);
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            border[c] = new int[list.size()];
            for (int i = 0; i < list.size(); i++) {
                border[c][i] = list.get(i)[c];
            }
        }
        return new int[] {median(border[0]), median(border[1]), median(border[2])};
    }

    private static int median(int[] values) {
        int[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String nearest(int[] rgb) {
        String best = null;
        double bestDistance = Double.MAX_VALUE;
        for (Map.Entry<String, int[]> e : COLOURS.entrySet()) {
            double d = 0;
            for (int c = 0; c < 3; c++) {
                d += Math.pow(rgb[c] - e.getValue()[c], 2);
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = e.getKey();
            }
        }
        return best;
    }

    private static int flood(boolean[] mask, int[] labels, int w, int h, int start, int label) {
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(start);
        labels[start] = label;
        int size = 0;
        while (!queue.isEmpty()) {
            int i = queue.poll();
            size++;
            int x = i % w;
            int y = i / w;
            int[][] steps = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
            for (int[] s : steps) {
                int xx = x + s[0];
                int yy = y + s[1];
                if (xx >= 0 && yy >= 0 && xx < w && yy < h && mask[yy * w + xx] && labels[yy * w + xx] == 0) {
                    labels[yy * w + xx] = label;
                    queue.add(yy * w + xx);
                }
            }
        }
        return size;
    }

    /**
     * The peaks of the outline's distance from the centroid over 72 angles (5° each, circularly smoothed over 3):
     * maxima that stand more than a quarter of the mean distance above the lowest point on either side.
     */
    private static int points(int[] labels, int label, int w, int h) {
        double cx = 0;
        double cy = 0;
        int n = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == label) {
                cx += i % w + 0.5;
                cy += i / w + 0.5;
                n++;
            }
        }
        cx /= n;
        cy /= n;
        int bins = 72;
        double[] radius = new double[bins];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == label) {
                double dx = i % w + 0.5 - cx;
                double dy = i / w + 0.5 - cy;
                int bin = (int) Math.floor((Math.atan2(dy, dx) + Math.PI) / (2 * Math.PI) * bins) % bins;
                radius[bin] = Math.max(radius[bin], Math.hypot(dx, dy));
            }
        }
        double[] smooth = new double[bins];
        double mean = 0;
        for (int b = 0; b < bins; b++) {
            smooth[b] = (radius[(b + bins - 1) % bins] + radius[b] + radius[(b + 1) % bins]) / 3;
            mean += smooth[b] / bins;
        }
        int peaks = 0;
        for (int b = 0; b < bins; b++) {
            if (smooth[b] < smooth[(b + bins - 1) % bins] || smooth[b] <= smooth[(b + 1) % bins]) {
                continue;
            }
            double left = smooth[b];
            for (int k = 1; k < bins / 2 && smooth[(b - k + bins) % bins] <= smooth[b]; k++) {
                left = Math.min(left, smooth[(b - k + bins) % bins]);
            }
            double right = smooth[b];
            for (int k = 1; k < bins / 2 && smooth[(b + k) % bins] <= smooth[b]; k++) {
                right = Math.min(right, smooth[(b + k) % bins]);
            }
            peaks += smooth[b] - Math.max(left, right) > 0.25 * mean ? 1 : 0;
        }
        return peaks;
    }
}
