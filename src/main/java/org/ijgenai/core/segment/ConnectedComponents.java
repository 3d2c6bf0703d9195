package org.ijgenai.core.segment;

import java.util.Arrays;

/**
 * Labels the 8-connected objects of a binary mask, dropping objects smaller than a minimum area, and numbers the
 * rest 1…n in the order of their first pixel in raster order.
 */
public final class ConnectedComponents {

    /** The labelling: {@code labels[y·width + x]} is 0 for background, else the object number. */
    public record Labeling(int width, int height, int[] labels, int count, int[] areas) {

        /** The area in pixels of object {@code label} (1-based). */
        public int area(int label) {
            return areas[label - 1];
        }
    }

    private ConnectedComponents() {}

    /**
     * Labels a mask.
     *
     * @param mask true for foreground, row-major
     * @param minArea objects with fewer pixels become background
     */
    public static Labeling label(boolean[] mask, int width, int height, int minArea) {
        int[] labels = new int[width * height];
        int[] stack = new int[1024];
        int count = 0;
        int[] areas = new int[16];
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || labels[start] != 0) {
                continue;
            }
            // Flood fill with an explicit stack: recursion would overflow on large objects.
            int id = count + 1;
            int area = 0;
            int top = 0;
            stack[top++] = start;
            labels[start] = id;
            while (top > 0) {
                int p = stack[--top];
                area++;
                int px = p % width;
                int py = p / width;
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = py + dy;
                    if (ny < 0 || ny >= height) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = px + dx;
                        if (nx < 0 || nx >= width || (dx == 0 && dy == 0)) {
                            continue;
                        }
                        int q = ny * width + nx;
                        if (mask[q] && labels[q] == 0) {
                            labels[q] = id;
                            if (top == stack.length) {
                                stack = Arrays.copyOf(stack, stack.length * 2);
                            }
                            stack[top++] = q;
                        }
                    }
                }
            }
            if (count == areas.length) {
                areas = Arrays.copyOf(areas, count * 2);
            }
            areas[count] = area;
            count++;
        }
        // Renumber without the small objects.
        int[] renumber = new int[count + 1];
        int kept = 0;
        int[] keptAreas = new int[count];
        for (int i = 0; i < count; i++) {
            if (areas[i] >= minArea) {
                renumber[i + 1] = ++kept;
                keptAreas[kept - 1] = areas[i];
            }
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = renumber[labels[i]];
        }
        return new Labeling(width, height, labels, kept, Arrays.copyOf(keptAreas, kept));
    }
}
