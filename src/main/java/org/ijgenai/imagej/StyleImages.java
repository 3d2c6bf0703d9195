package org.ijgenai.imagej;

import java.awt.Rectangle;
import java.awt.image.IndexColorModel;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.CancelledException;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.style.StyleOptions;
import org.ijgenai.core.style.StyleTransfer;
import org.ijgenai.core.tiling.PlanarImage;
import org.ijgenai.core.tiling.TileSource;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/**
 * Converts between ImageJ processors and the [0, 1] RGB intensities of style transfer: RGB as it is, grey images
 * through their display range (and inverted LUT) to one channel used as R = G = B, 8-bit colour images through
 * their LUT. Sources read straight from the processor's pixels, so no float copy of the image is made. Also
 * restyles a whole image without a dialog, for the command and the CLI alike.
 */
public final class StyleImages {

    private StyleImages() {}

    /**
     * What happens to this image on its way into an RGB generator, in words for the dialog and the log; null for
     * RGB images, which are used as they are.
     */
    public static String conversionNote(ImagePlus imp) {
        ImageProcessor ip = imp.getProcessor();
        if (ip instanceof ByteProcessor && ip.isColorLut()) {
            return "8-bit colour image: its LUT colours are used; the result is RGB.";
        }
        switch (imp.getType()) {
            case ImagePlus.COLOR_RGB:
                return null;
            case ImagePlus.GRAY8:
                return "8-bit grey image: display range " + range(ip) + " becomes 0–255, used as R = G = B;"
                        + " the result is RGB.";
            default:
                return imp.getBitDepth() + "-bit image: display range " + range(ip)
                        + " becomes 0–255, used as R = G = B; the result is RGB.";
        }
    }

    private static String range(ImageProcessor ip) {
        return "[" + ij.IJ.d2s(ip.getMin(), ip instanceof ij.process.FloatProcessor ? 3 : 0) + ", "
                + ij.IJ.d2s(ip.getMax(), ip instanceof ij.process.FloatProcessor ? 3 : 0) + "]";
    }

    /**
     * A source over one region of a processor, intensities in [0, 1]: three channels for RGB and colour-LUT
     * images, one for grey ones. Grey values use {@code min} and {@code max} (the display range of the image, the
     * same for every slice of a stack).
     */
    public static TileSource source(ImageProcessor ip, Rectangle region, double min, double max) {
        if (ip instanceof ColorProcessor) {
            int[] pixels = (int[]) ip.getPixels();
            return new RegionSource(ip.getWidth(), region, 3) {
                @Override
                void readRun(int channel, int offset, int length, float[] dest, int at) {
                    int shift = 16 - 8 * channel;
                    for (int i = 0; i < length; i++) {
                        dest[at + i] = ((pixels[offset + i] >> shift) & 0xff) / 255f;
                    }
                }
            };
        }
        if (ip instanceof ByteProcessor && ip.isColorLut()) {
            IndexColorModel cm = (IndexColorModel) ip.getCurrentColorModel();
            float[][] lut = new float[3][256];
            for (int i = 0; i < cm.getMapSize(); i++) {
                lut[0][i] = cm.getRed(i) / 255f;
                lut[1][i] = cm.getGreen(i) / 255f;
                lut[2][i] = cm.getBlue(i) / 255f;
            }
            byte[] pixels = (byte[]) ip.getPixels();
            return new RegionSource(ip.getWidth(), region, 3) {
                @Override
                void readRun(int channel, int offset, int length, float[] dest, int at) {
                    for (int i = 0; i < length; i++) {
                        dest[at + i] = lut[channel][pixels[offset + i] & 0xff];
                    }
                }
            };
        }
        boolean inverted = ip.isInvertedLut();
        double scale = max > min ? 1.0 / (max - min) : 0;
        return new RegionSource(ip.getWidth(), region, 1) {
            @Override
            void readRun(int channel, int offset, int length, float[] dest, int at) {
                for (int i = 0; i < length; i++) {
                    double v = (ip.getf(offset + i) - min) * scale;
                    v = v < 0 ? 0 : v > 1 ? 1 : v;
                    dest[at + i] = (float) (inverted ? 1 - v : v);
                }
            }
        };
    }

    /** An RGB processor from [0, 1] planes, each value rounded to the nearest of 256 levels. */
    public static ColorProcessor toColor(PlanarImage image) {
        int n = image.width() * image.height();
        int[] pixels = new int[n];
        float[] r = image.plane(0);
        float[] g = image.plane(1);
        float[] b = image.plane(2);
        for (int i = 0; i < n; i++) {
            pixels[i] = 0xff000000 | level(r[i]) << 16 | level(g[i]) << 8 | level(b[i]);
        }
        return new ColorProcessor(image.width(), image.height(), pixels);
    }

    private static int level(float v) {
        int l = Math.round(v * 255f);
        return l < 0 ? 0 : l > 255 ? 255 : l;
    }

    /**
     * Writes a styled region into a processor for preview: RGB as it is, grey images as luminance mapped back
     * through the display range (so the preview shows the structure of the change).
     */
    public static void preview(ImageProcessor ip, Rectangle region, PlanarImage styled, double min, double max) {
        boolean rgb = ip instanceof ColorProcessor;
        boolean inverted = ip.isInvertedLut();
        for (int y = 0; y < region.height; y++) {
            for (int x = 0; x < region.width; x++) {
                float r = styled.get(0, x, y);
                float g = styled.get(1, x, y);
                float b = styled.get(2, x, y);
                if (rgb) {
                    ip.set(region.x + x, region.y + y, 0xff000000 | level(r) << 16 | level(g) << 8 | level(b));
                } else {
                    double lum = 0.299 * r + 0.587 * g + 0.114 * b;
                    ip.putPixelValue(region.x + x, region.y + y, min + (inverted ? 1 - lum : lum) * (max - min));
                }
            }
        }
    }

    /** A source over a rectangle of a processor whose pixels are one row-major array. */
    private abstract static class RegionSource implements TileSource {

        private final int stride;
        private final Rectangle region;
        private final int channels;

        RegionSource(int stride, Rectangle region, int channels) {
            this.stride = stride;
            this.region = new Rectangle(region);
            this.channels = channels;
        }

        @Override
        public int width() {
            return region.width;
        }

        @Override
        public int height() {
            return region.height;
        }

        @Override
        public int channels() {
            return channels;
        }

        @Override
        public void read(int channel, int y, int x, int length, float[] dest, int offset) {
            readRun(channel, (region.y + y) * stride + region.x + x, length, dest, offset);
        }

        /** Converts {@code length} pixels from array index {@code offset} into {@code dest[at…]}. */
        abstract void readRun(int channel, int offset, int length, float[] dest, int at);
    }

    /**
     * Restyles an image without any dialog: the selection's bounding box (pixels outside a non-rectangular
     * selection keep their original colour) of the current slice, or of every slice, into a new RGB image that
     * is returned, not shown. The input image is never changed.
     *
     * @param allSlices every slice of a stack rather than the current one
     * @throws CancelledException when {@code cancel} fires; no partial image is returned
     */
    public static ImagePlus stylize(ImagePlus imp, StyleTransfer transfer, StyleOptions options, boolean allSlices,
            ProgressListener progress, CancellationToken cancel) {
        Roi roi = imp.getRoi();
        Rectangle region = roi != null && roi.isArea()
                ? roi.getBounds().intersection(new Rectangle(imp.getWidth(), imp.getHeight()))
                : new Rectangle(imp.getWidth(), imp.getHeight());
        if (region.isEmpty()) {
            throw new GenAiException("the selection lies outside the image");
        }
        ImageProcessor mask = roi != null && roi.isArea() && roi.getType() != Roi.RECTANGLE ? roi.getMask() : null;
        ImageStack stack = imp.getStack();
        int first = allSlices ? 1 : imp.getCurrentSlice();
        int last = allSlices ? stack.getSize() : imp.getCurrentSlice();
        int count = last - first + 1;
        double min = imp.getDisplayRangeMin();
        double max = imp.getDisplayRangeMax();
        ImageStack out = new ImageStack(region.width, region.height);
        for (int slice = first; slice <= last; slice++) {
            int index = slice - first;
            ImageProcessor ip = stack.getProcessor(slice);
            if (!(ip instanceof ColorProcessor)) {
                // Stack processors come with a default LUT; the image's own (inverted, colour) is what users see.
                ip.setColorModel(imp.getProcessor().getColorModel());
            }
            TileSource source = source(ip, region, min, max);
            ProgressListener perSlice = (done, total, message) -> progress.progress(index * total + done,
                    count * total, (count > 1 ? "slice " + (index + 1) + "/" + count + ", " : "") + message);
            PlanarImage styled = transfer.apply(source, options, perSlice, cancel);
            ColorProcessor cp = toColor(styled);
            if (mask != null) {
                keepOutside(cp, toColor(copy(source)), mask, roi.getBounds(), region);
            }
            out.addSlice(stack.getSliceLabel(slice), cp);
        }
        String title = imp.getShortTitle() + "-styled";
        ImagePlus result = new ImagePlus(title, out);
        result.setCalibration(imp.getCalibration());
        if (count > 1 && imp.isHyperStack()) {
            result.setDimensions(imp.getNChannels(), imp.getNSlices(), imp.getNFrames());
        }
        return result;
    }

    /** Puts the original colour back outside a non-rectangular selection (the mask spans the selection bounds). */
    private static void keepOutside(ColorProcessor styled, ColorProcessor original, ImageProcessor mask,
            Rectangle bounds, Rectangle region) {
        int[] out = (int[]) styled.getPixels();
        int[] in = (int[]) original.getPixels();
        for (int y = 0; y < region.height; y++) {
            for (int x = 0; x < region.width; x++) {
                if (mask.get(x + region.x - bounds.x, y + region.y - bounds.y) == 0) {
                    out[y * region.width + x] = in[y * region.width + x];
                }
            }
        }
    }

    private static PlanarImage copy(TileSource source) {
        int w = source.width();
        PlanarImage image = PlanarImage.zeros(3, w, source.height());
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < source.height(); y++) {
                source.read(source.channels() == 1 ? 0 : c, y, 0, w, image.plane(c), y * w);
            }
        }
        return image;
    }
}
