package org.ijgenai.core.image;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.ijgenai.core.GenAiException;

/**
 * The size an image file declares in its header, read without decoding a pixel, so that a small file declaring a
 * huge picture (a decompression bomb) can be refused before anything is allocated; and a check that a PNG or JPEG
 * file is complete.
 *
 * @param width the first image's width in pixels
 * @param height the first image's height in pixels
 */
public record ImageHeader(int width, int height) {

    /** The pixels of the first image. */
    public long pixels() {
        return (long) width * height;
    }

    /**
     * Reads the header of {@code file} with the installed ImageIO readers.
     *
     * @return the header, or null when no ImageIO reader knows the format (the caller's decoder may still)
     */
    public static ImageHeader read(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                return null;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new ImageHeader(reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable header is the decoder's to report, with its own words.
            return null;
        }
    }

    /**
     * Refuses a file whose header declares more than {@code maxPixels} pixels, before it is decoded.
     *
     * @param what the command and role, e.g. "img2img's init image", for the message
     * @param why how the limit was chosen, for the message
     */
    public static void requireAtMost(Path file, long maxPixels, String what, String why) {
        ImageHeader header = read(file);
        if (header != null && header.pixels() > maxPixels) {
            throw new GenAiException(String.format(Locale.ROOT, "%s declares %d×%d pixels (%.1f megapixels); %s"
                    + " takes at most %.1f megapixels (%s), so it is refused before decoding", file, header.width(),
                    header.height(), header.pixels() / 1e6, what, maxPixels / 1e6, why));
        }
    }

    /**
     * The largest image, in pixels, that a command holding {@code bytesPerPixel} bytes per pixel fits in the JVM's
     * memory limit ({@code -Xmx}), and within the 2³¹ − 1 elements of a Java array.
     */
    public static long fitsInMemory(double bytesPerPixel) {
        return (long) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / bytesPerPixel);
    }

    /**
     * A warning when a PNG or JPEG file ends early (no IEND chunk, no end-of-image marker): decoders then fill
     * the missing rows with grey without saying so. Null when the file looks complete or is of another kind.
     */
    public static String truncationWarning(Path file) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length < 16) {
                return null;
            }
            byte[] head = new byte[4];
            in.readFully(head);
            if ((head[0] & 0xff) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G') {
                return endsWith(in, length, new byte[] {'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82})
                        ? null : file + " is incomplete (the PNG has no IEND chunk); its missing rows are not real";
            }
            if ((head[0] & 0xff) == 0xFF && (head[1] & 0xff) == 0xD8) {
                return endsWith(in, length, new byte[] {(byte) 0xFF, (byte) 0xD9}) ? null
                        : file + " is incomplete (the JPEG has no end-of-image marker); its missing part is grey";
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    // Allows trailing zero bytes, which some writers and transfers pad with.
    private static boolean endsWith(RandomAccessFile in, long length, byte[] tail) throws IOException {
        int window = (int) Math.min(length, 4096);
        byte[] end = new byte[window];
        in.seek(length - window);
        in.readFully(end);
        int last = window - 1;
        while (last >= 0 && end[last] == 0) {
            last--;
        }
        if (last + 1 < tail.length) {
            return false;
        }
        for (int i = 0; i < tail.length; i++) {
            if (end[last + 1 - tail.length + i] != tail[i]) {
                return false;
            }
        }
        return true;
    }
}
