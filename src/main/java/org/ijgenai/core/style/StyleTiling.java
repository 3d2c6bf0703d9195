package org.ijgenai.core.style;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;

/** Runs a region styler over an image's padded canvas, whole or in overlapping tiles, and crops to the image. */
final class StyleTiling {

    /** Styles one region of the padded canvas into three [0, 1] planes of {@code w × h}. */
    @FunctionalInterface
    interface RegionStyler {
        float[][] style(int x, int y, int w, int h, String label);
    }

    private StyleTiling() {}

    static RgbImage run(int width, int height, int canvasW, int canvasH, int tileW, int tileH, int overlap,
            RegionStyler styler, ProgressListener progress, CancellationToken cancel) {
        if (tileW >= canvasW && tileH >= canvasH) {
            cancel.throwIfCancelled();
            progress.progress(0, 1, "styling " + width + "×" + height);
            float[][] whole = styler.style(0, 0, canvasW, canvasH, "whole image");
            progress.progress(1, 1, "styled " + width + "×" + height);
            return crop(whole, canvasW, width, height);
        }
        throw new GenAiException("tiling is not available yet");
    }

    private static RgbImage crop(float[][] planes, int canvasW, int width, int height) {
        if (canvasW == width && planes[0].length == width * height) {
            return new RgbImage(width, height, planes[0], planes[1], planes[2]);
        }
        RgbImage out = RgbImage.blank(width, height);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(planes[c], y * canvasW, out.plane(c), y * width, width);
            }
        }
        return out;
    }
}
