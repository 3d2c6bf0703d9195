package org.ijgenai.core.segment;

import java.util.List;

import org.ijgenai.core.tiling.PlanarImage;

/**
 * The result of segmenting one image: the network's maps at the image's size (one foreground probability, or one
 * probability per class) and what was done to the input on the way ({@link #notes()}).
 *
 * @param maps probabilities in [0,1], one plane per channel of the network output
 * @param kind what the channels are
 * @param classNames the class (or map) names from the descriptor, possibly empty
 * @param foreground the foreground probability per pixel
 * @param notes conversions the user should know about (e.g. "grey image copied to R, G and B")
 */
public record Segmentation(PlanarImage maps, OutputKind kind, List<String> classNames, int backgroundClass,
        float[] foreground, List<String> notes) {

    /** Copies the lists. */
    public Segmentation {
        classNames = List.copyOf(classNames);
        notes = List.copyOf(notes);
    }

    /** The width in pixels. */
    public int width() {
        return maps.width();
    }

    /** The height in pixels. */
    public int height() {
        return maps.height();
    }

    /** The foreground mask: true where the foreground probability is at least {@code threshold}. */
    public boolean[] mask(double threshold) {
        boolean[] mask = new boolean[foreground.length];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = foreground[i] >= threshold;
        }
        return mask;
    }

    /**
     * The most probable class per pixel, for class outputs; for one-map outputs, 1 where the foreground is at
     * least 0.5, else 0.
     */
    public int[] classMap() {
        int n = foreground.length;
        int[] classes = new int[n];
        if (!kind.isClasses()) {
            for (int i = 0; i < n; i++) {
                classes[i] = foreground[i] >= 0.5f ? 1 : 0;
            }
            return classes;
        }
        for (int i = 0; i < n; i++) {
            int best = 0;
            float bestValue = maps.plane(0)[i];
            for (int c = 1; c < maps.channels(); c++) {
                if (maps.plane(c)[i] > bestValue) {
                    bestValue = maps.plane(c)[i];
                    best = c;
                }
            }
            classes[i] = best;
        }
        return classes;
    }

    /** Labels the objects of the mask at {@code threshold}, dropping those smaller than {@code minArea}. */
    public ConnectedComponents.Labeling objects(double threshold, int minArea) {
        return ConnectedComponents.label(mask(threshold), width(), height(), minArea);
    }
}
