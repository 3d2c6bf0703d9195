package org.ijgenai.core.search;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.ImageHeader;
import org.ijgenai.core.image.RgbImage;

/**
 * Decodes image files (PNG, JPEG, BMP, GIF, TIFF, WBMP: whatever {@code javax.imageio} reads) into the 8-bit RGB
 * that PIL's {@code convert} gives CLIP's reference preprocessing.
 *
 * <p>Mapping: 8-bit grey is repeated into R, G and B; palette images take their palette colours; images with
 * transparency are composited on white with Pillow's integer {@code alpha_composite}, as transformers'
 * {@code convert_to_rgb} does. Samples of more than 8 bits (16-bit PNG/TIFF, float TIFF) are scaled linearly
 * from the image's own minimum–maximum to 0–255, like ImageJ's automatic display range; PIL would clip them at
 * 255 instead, which leaves most scientific images white. Multi-image files use their first image.
 */
public final class ImageFileReader {

    private ImageFileReader() {}

    /** The lower-case file suffixes that installed image readers accept. */
    public static Set<String> suffixes() {
        Set<String> out = new TreeSet<>();
        for (String s : ImageIO.getReaderFileSuffixes()) {
            if (!s.isEmpty()) {
                out.add(s.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** Whether the file's name ends in a suffix an installed reader accepts. */
    public static boolean looksLikeImage(Path file) {
        return looksLikeImage(file, suffixes());
    }

    /** Whether the file's name ends in one of {@code suffixes} (lower case, as {@link #suffixes()} gives them). */
    public static boolean looksLikeImage(Path file, Set<String> suffixes) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && suffixes.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Bytes a decode holds per pixel at its peak: the decoded raster (up to 8 for 16-bit RGBA), the 8-bit RGB copy
     * and a resize's output.
     */
    public static final double BYTES_PER_PIXEL = 16;

    /**
     * The most pixels one decode may declare: what fits {@code concurrent} decodes at {@link #BYTES_PER_PIXEL} into
     * the JVM's memory limit.
     */
    public static long maxPixels(int concurrent) {
        return ImageHeader.fitsInMemory(BYTES_PER_PIXEL * Math.max(1, concurrent));
    }

    /**
     * Reads the (first) image of a file, refusing one that declares more than {@link #maxPixels maxPixels(1)}.
     *
     * @throws GenAiException naming the file when it cannot be decoded or is too large
     */
    public static RgbImage read(Path file) {
        return read(file, maxPixels(1));
    }

    /**
     * Reads the (first) image of a file; one whose header declares more than {@code maxPixels} is refused before a
     * pixel is decoded (a small file can declare a huge picture).
     *
     * @throws GenAiException naming the file and both sizes, or saying why it cannot be decoded
     */
    public static RgbImage read(Path file, long maxPixels) {
        return decode(file, true, reader -> {
            requireAtMost(file, reader, 0, maxPixels, 0);
            return toRgb(file, reader.read(0), "");
        });
    }

    /**
     * Reads every image of a multi-image file (TIFF pages, GIF frames), in order; a single-image file gives one.
     * The pages together may declare at most {@link #maxPixels maxPixels(1)}.
     *
     * @throws GenAiException naming the file when it cannot be decoded or is too large
     */
    public static List<RgbImage> readAll(Path file) {
        long maxPixels = maxPixels(1);
        return decode(file, false, reader -> {
            List<RgbImage> out = new ArrayList<>();
            int count = reader.getNumImages(true);
            long total = 0;
            for (int i = 0; i < count; i++) {
                total = requireAtMost(file, reader, i, maxPixels, total);
            }
            for (int i = 0; i < count; i++) {
                out.add(toRgb(file, reader.read(i), count > 1 ? " (image " + (i + 1) + ")" : ""));
            }
            return out;
        });
    }

    private static RgbImage toRgb(Path file, BufferedImage image, String which) {
        try {
            return toRgb(image);
        } catch (GenAiException e) {
            throw new Refused(file + which + " has " + e.getMessage());
        }
    }

    /** The pixels so far plus image {@code index}'s, from its header; refuses more than {@code maxPixels}. */
    private static long requireAtMost(Path file, ImageReader reader, int index, long maxPixels, long before)
            throws IOException {
        long w = reader.getWidth(index);
        long h = reader.getHeight(index);
        long total = before + w * h;
        if (total > maxPixels) {
            throw new Refused(String.format(Locale.ROOT, "%s declares %d×%d pixels%s (%.1f megapixels%s); at most"
                    + " %.1f megapixels are decoded (about %.0f bytes a pixel in the %.1f GB this JVM may use;"
                    + " JAVA_OPTS=-Xmx…g raises it), so it is refused before decoding", file, w, h,
                    index > 0 ? " in image " + (index + 1) : "", total / 1e6, index > 0 ? " with the pages before"
                    : "", maxPixels / 1e6, BYTES_PER_PIXEL, Runtime.getRuntime().maxMemory() / 1e9));
        }
        return total;
    }

    /** A file refused for its size or its content, passed through {@link #decode} with its own message. */
    private static final class Refused extends GenAiException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** What to do with the image reader of a file. */
    private interface Decoding<T> {
        T apply(ImageReader reader) throws IOException;
    }

    private static <T> T decode(Path file, boolean seekForwardOnly, Decoding<T> decoding) {
        if (!Files.isRegularFile(file)) {
            throw new GenAiException("not a file: " + file);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IOException("cannot open " + file);
            }
            var readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("not a readable image format: " + file);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, seekForwardOnly, true);
                return decoding.apply(reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new GenAiException("cannot decode " + file + ": " + e.getMessage(), e);
        } catch (Refused e) {
            throw e;
        } catch (RuntimeException e) {
            // Some decoders signal truncated or corrupt data with unchecked exceptions.
            throw new GenAiException("cannot decode " + file + ": " + e, e);
        }
    }

    /** Converts a decoded image to 8-bit RGB with the mapping described on the class. */
    public static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int bands = raster.getNumBands();
        int transfer = raster.getTransferType();
        boolean eightBit = transfer == DataBuffer.TYPE_BYTE
                && Arrays.stream(cm.getComponentSize()).allMatch(bits -> bits <= 8);
        if (cm instanceof IndexColorModel || (!eightBit && transfer == DataBuffer.TYPE_BYTE)) {
            // Palettes and packed 1/2/4-bit images: let the colour model expand them; no colour management applies.
            return fromArgb(image);
        }
        if (!eightBit) {
            return scaledToEightBit(raster, cm.hasAlpha());
        }
        int colourBands = cm.hasAlpha() ? bands - 1 : bands;
        byte[] rgb = new byte[w * h * 3];
        int[] px = new int[bands];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // The raster holds the file's samples; getRGB would pass grey through a gamma conversion.
                raster.getPixel(x, y, px);
                int r = px[0];
                int g = colourBands >= 3 ? px[1] : r;
                int b = colourBands >= 3 ? px[2] : r;
                int o = (y * w + x) * 3;
                if (cm.hasAlpha()) {
                    int a = px[bands - 1];
                    r = onWhite(r, a);
                    g = onWhite(g, a);
                    b = onWhite(b, a);
                }
                rgb[o] = (byte) r;
                rgb[o + 1] = (byte) g;
                rgb[o + 2] = (byte) b;
            }
        }
        return new RgbImage(w, h, rgb);
    }

    private static RgbImage fromArgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] rgb = new byte[w * h * 3];
        boolean alpha = image.getColorModel().hasAlpha();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                int a = alpha ? argb >>> 24 : 255;
                int o = (y * w + x) * 3;
                rgb[o] = (byte) onWhite((argb >> 16) & 0xFF, a);
                rgb[o + 1] = (byte) onWhite((argb >> 8) & 0xFF, a);
                rgb[o + 2] = (byte) onWhite(argb & 0xFF, a);
            }
        }
        return new RgbImage(w, h, rgb);
    }

    private static RgbImage scaledToEightBit(Raster raster, boolean hasAlpha) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        int colourBands = hasAlpha ? bands - 1 : bands;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double[] px = new double[bands];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.getPixel(x, y, px);
                for (int c = 0; c < Math.min(colourBands, 3); c++) {
                    if (Double.isFinite(px[c])) {
                        min = Math.min(min, px[c]);
                        max = Math.max(max, px[c]);
                    }
                }
            }
        }
        if (min > max) {
            // Not one finite sample (all NaN or infinite): the picture would be uniform black.
            throw new GenAiException("no finite pixel value (every sample is NaN or infinite), so CLIP would see a"
                    + " blank picture");
        }
        double range = max > min ? max - min : 1.0;
        double offset = Double.isFinite(min) ? min : 0.0;
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.getPixel(x, y, px);
                for (int c = 0; c < 3; c++) {
                    double v = px[colourBands >= 3 ? c : 0];
                    int b = Double.isFinite(v) ? (int) Math.round((v - offset) / range * 255.0) : 0;
                    rgb[(y * w + x) * 3 + c] = (byte) Math.max(0, Math.min(255, b));
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /**
     * Pillow's {@code alpha_composite} of a pixel over an opaque white background, in its integer arithmetic
     * (7-bit fixed point and a shift-based division by 255), so transparent PNGs match transformers.
     */
    static int onWhite(int value, int alpha) {
        if (alpha == 255) {
            return value;
        }
        if (alpha == 0) {
            return 255;
        }
        final int precision = 7;
        long outa255 = alpha * 255L + 255L * (255 - alpha);
        long coef1 = alpha * 255L * 255L * (1L << precision) / outa255;
        long coef2 = 255L * (1L << precision) - coef1;
        long tmp = value * coef1 + 255L * coef2 + (0x80L << precision);
        return (int) ((((tmp >> 8) + tmp) >> 8) >> precision);
    }
}
