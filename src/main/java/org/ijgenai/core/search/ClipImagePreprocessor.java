package org.ijgenai.core.search;

/**
 * Turns an RGB image into CLIP's {@code pixel_values} exactly as transformers' slow {@code CLIPImageProcessor}
 * does: PIL resize of the shortest edge, integer centre crop (zero padding where the image is smaller),
 * rescale in float64 then cast to float32, and normalisation in float32.
 */
public final class ClipImagePreprocessor {

    private final ClipImageProcessorConfig config;

    /** Creates a preprocessor for one model's settings. */
    public ClipImagePreprocessor(ClipImageProcessorConfig config) {
        this.config = config;
    }

    /** The settings in use. */
    public ClipImageProcessorConfig config() {
        return config;
    }

    /**
     * The height and width of the tensor this preprocessor produces for any image, or −1 entries when it depends
     * on the image (no centre crop).
     */
    public int[] fixedOutputSize() {
        if (config.doCenterCrop()) {
            return new int[] {config.cropHeight(), config.cropWidth()};
        }
        if (config.doResize() && config.shortestEdge() < 1) {
            return new int[] {config.resizeHeight(), config.resizeWidth()};
        }
        return new int[] {-1, -1};
    }

    /** The resized and cropped 8-bit image, before rescaling: what the network sees, for display. */
    public RgbImage resizeAndCrop(RgbImage image) {
        RgbImage current = image;
        if (config.doResize()) {
            int[] target = config.resizeTarget(image.width(), image.height());
            current = PilResampler.resize(current, target[1], target[0], config.resample());
        }
        if (config.doCenterCrop()) {
            current = centerCrop(current, config.cropHeight(), config.cropWidth());
        }
        return current;
    }

    /**
     * The channel-first {@code [3, H, W]} float32 values for one image.
     */
    public float[] pixelValues(RgbImage image) {
        return rescaleAndNormalize(resizeAndCrop(image));
    }

    /** The {@code [3, H, W]} values of an image that is already resized and cropped. */
    public float[] rescaleAndNormalize(RgbImage cropped) {
        int w = cropped.width();
        int h = cropped.height();
        int plane = w * h;
        float[] out = new float[3 * plane];
        byte[] rgb = cropped.rgb();
        double factor = config.rescaleFactor();
        double[] mean = config.mean();
        double[] std = config.std();
        for (int c = 0; c < 3; c++) {
            // numpy builds float32 arrays from the mean and std, then works in float32.
            float m = (float) mean[c];
            float s = (float) std[c];
            for (int i = 0; i < plane; i++) {
                int v = rgb[i * 3 + c] & 0xFF;
                // transformers' rescale multiplies in float64 and casts the product to float32.
                float x = config.doRescale() ? (float) (v * factor) : v;
                if (config.doNormalize()) {
                    x = (x - m) / s;
                }
                out[c * plane + i] = x;
            }
        }
        return out;
    }

    /**
     * transformers' {@code center_crop}: top = (h − ch) // 2 and left = (w − cw) // 2 with Python's floor
     * division; where the image is smaller than the crop it is first centred on a zero canvas with
     * ceil((new − old) / 2) before it.
     */
    static RgbImage centerCrop(RgbImage image, int cropHeight, int cropWidth) {
        int h = image.height();
        int w = image.width();
        int top = Math.floorDiv(h - cropHeight, 2);
        int left = Math.floorDiv(w - cropWidth, 2);
        if (top >= 0 && left >= 0 && top + cropHeight <= h && left + cropWidth <= w) {
            return copyRegion(image, left, top, cropWidth, cropHeight);
        }
        int newH = Math.max(cropHeight, h);
        int newW = Math.max(cropWidth, w);
        int topPad = (newH - h + 1) / 2;
        int leftPad = (newW - w + 1) / 2;
        byte[] canvas = new byte[newW * newH * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(image.rgb(), y * w * 3, canvas, ((y + topPad) * newW + leftPad) * 3, w * 3);
        }
        int t = Math.max(0, top + topPad);
        int b = Math.min(newH, top + topPad + cropHeight);
        int l = Math.max(0, left + leftPad);
        int r = Math.min(newW, left + leftPad + cropWidth);
        return copyRegion(new RgbImage(newW, newH, canvas), l, t, r - l, b - t);
    }

    private static RgbImage copyRegion(RgbImage image, int left, int top, int width, int height) {
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            System.arraycopy(image.rgb(), ((top + y) * image.width() + left) * 3, out, y * width * 3, width * 3);
        }
        return new RgbImage(width, height, out);
    }
}
