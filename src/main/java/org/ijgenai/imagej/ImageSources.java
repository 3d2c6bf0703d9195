package org.ijgenai.imagej;

import org.ijgenai.core.tiling.TileSource;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/** {@link TileSource} views of ImageJ images that read straight from the processors, without copying them. */
public final class ImageSources {

    private ImageSources() {}

    /** One processor: R, G, B channels for a ColorProcessor, else one channel of calibrated-free raw values. */
    public static TileSource of(ImageProcessor ip) {
        return of(new ImageProcessor[] {ip});
    }

    /**
     * The channels of one position of an image: for multi-channel (composite) images the channel processors at
     * that slice and frame, else the single processor at stack index {@code stackIndex}.
     */
    public static TileSource of(ImagePlus imp, int stackIndex) {
        ImageStack stack = imp.getStack();
        int channels = imp.getNChannels();
        if (channels > 1 && imp.getBitDepth() != 24) {
            int[] position = imp.convertIndexToPosition(stackIndex);
            ImageProcessor[] planes = new ImageProcessor[channels];
            for (int c = 0; c < channels; c++) {
                planes[c] = stack.getProcessor(imp.getStackIndex(c + 1, position[1], position[2]));
            }
            return of(planes);
        }
        return of(stack.getProcessor(stackIndex));
    }

    private static TileSource of(ImageProcessor[] planes) {
        boolean rgb = planes.length == 1 && planes[0] instanceof ColorProcessor;
        int width = planes[0].getWidth();
        int height = planes[0].getHeight();
        return new TileSource() {
            @Override
            public int width() {
                return width;
            }

            @Override
            public int height() {
                return height;
            }

            @Override
            public int channels() {
                return rgb ? 3 : planes.length;
            }

            @Override
            public void read(int channel, int y, int x, int length, float[] dest, int offset) {
                int start = y * width + x;
                if (rgb) {
                    int[] pixels = (int[]) planes[0].getPixels();
                    int shift = 16 - 8 * channel;
                    for (int i = 0; i < length; i++) {
                        dest[offset + i] = (pixels[start + i] >> shift) & 0xff;
                    }
                    return;
                }
                Object pixels = planes[channel].getPixels();
                if (pixels instanceof byte[] bytes) {
                    for (int i = 0; i < length; i++) {
                        dest[offset + i] = bytes[start + i] & 0xff;
                    }
                } else if (pixels instanceof short[] shorts) {
                    for (int i = 0; i < length; i++) {
                        dest[offset + i] = shorts[start + i] & 0xffff;
                    }
                } else if (pixels instanceof float[] floats) {
                    System.arraycopy(floats, start, dest, offset, length);
                } else {
                    throw new IllegalStateException("unsupported pixel type " + pixels.getClass());
                }
            }
        };
    }
}
