package org.ijgenai.core.diffusion;

import org.ijgenai.core.image.MaskFilters;

/**
 * A rectangle of an image, x1 ≤ x < x2 and y1 ≤ y < y2: the part that "only masked" inpainting crops around the
 * selection, generates at the model's size, and pastes back, as A1111's {@code get_crop_region} and
 * {@code expand_crop_region} compute it.
 */
public record CropRegion(int x1, int y1, int x2, int y2) {

    /** Checks the corners are ordered. */
    public CropRegion {
        if (x2 <= x1 || y2 <= y1) {
            throw new IllegalArgumentException("an empty crop region: (" + x1 + ", " + y1 + ")–(" + x2 + ", " + y2
                    + ")");
        }
    }

    /** The width in pixels. */
    public int width() {
        return x2 - x1;
    }

    /** The height in pixels. */
    public int height() {
        return y2 - y1;
    }

    /**
     * A1111's {@code get_crop_region}: the bounding box of the mask's non-zero pixels, widened by {@code padding} on
     * every side and clipped to the image; null when the mask is empty.
     */
    public static CropRegion ofMask(float[] mask, int width, int height, int padding) {
        int[] box = MaskFilters.bounds(mask, width, height);
        if (box == null) {
            return null;
        }
        return new CropRegion(Math.max(box[0] - padding, 0), Math.max(box[1] - padding, 0),
                Math.min(box[2] + padding, width), Math.min(box[3] + padding, height));
    }

    /**
     * A1111's {@code expand_crop_region}: grows the shorter side so the region has the aspect ratio of the
     * processing size, centred where it can be, shifted back inside the image where it cannot, and clipped when
     * the image is too small. Integer arithmetic follows the Python (int() truncation, // floor division).
     */
    public CropRegion expandTo(int processingWidth, int processingHeight, int imageWidth, int imageHeight) {
        int ax1 = x1;
        int ay1 = y1;
        int ax2 = x2;
        int ay2 = y2;
        double ratioCrop = (double) (ax2 - ax1) / (ay2 - ay1);
        double ratioProcessing = (double) processingWidth / processingHeight;
        if (ratioCrop > ratioProcessing) {
            double desiredHeight = (ax2 - ax1) / ratioProcessing;
            int diff = (int) (desiredHeight - (ay2 - ay1));
            ay1 -= Math.floorDiv(diff, 2);
            ay2 += diff - Math.floorDiv(diff, 2);
            if (ay2 >= imageHeight) {
                int over = ay2 - imageHeight;
                ay2 -= over;
                ay1 -= over;
            }
            if (ay1 < 0) {
                ay2 -= ay1;
                ay1 = 0;
            }
            if (ay2 >= imageHeight) {
                ay2 = imageHeight;
            }
        } else {
            double desiredWidth = (ay2 - ay1) * ratioProcessing;
            int diff = (int) (desiredWidth - (ax2 - ax1));
            ax1 -= Math.floorDiv(diff, 2);
            ax2 += diff - Math.floorDiv(diff, 2);
            if (ax2 >= imageWidth) {
                int over = ax2 - imageWidth;
                ax2 -= over;
                ax1 -= over;
            }
            if (ax1 < 0) {
                ax2 -= ax1;
                ax1 = 0;
            }
            if (ax2 >= imageWidth) {
                ax2 = imageWidth;
            }
        }
        return new CropRegion(ax1, ay1, ax2, ay2);
    }

    /** The region's pixels of an interleaved RGB image. */
    public byte[] cropRgb(byte[] rgb, int imageWidth) {
        byte[] out = new byte[width() * height() * 3];
        for (int y = 0; y < height(); y++) {
            System.arraycopy(rgb, ((y1 + y) * imageWidth + x1) * 3, out, y * width() * 3, width() * 3);
        }
        return out;
    }

    /** The region's values of a single-channel image. */
    public float[] crop(float[] plane, int imageWidth) {
        float[] out = new float[width() * height()];
        for (int y = 0; y < height(); y++) {
            System.arraycopy(plane, (y1 + y) * imageWidth + x1, out, y * width(), width());
        }
        return out;
    }
}
