package org.ijgenai.core.tiling;

/**
 * Read access to a multi-channel image, one run of pixels of one row at a time, so the tiled runner never needs
 * the whole image as floats (an ImageJ adapter reads straight from the processors).
 */
public interface TileSource {

    /** The image width in pixels. */
    int width();

    /** The image height in pixels. */
    int height();

    /** The number of channels. */
    int channels();

    /**
     * Copies {@code length} pixels of channel {@code channel}, row {@code y}, starting at column {@code x}, into
     * {@code dest[offset…]}. The runner only asks for pixels inside the image.
     */
    void read(int channel, int y, int x, int length, float[] dest, int offset);

    /** A source over planar float data: {@code planes[c][y·width + x]}. */
    static TileSource of(PlanarImage image) {
        return new TileSource() {
            @Override
            public int width() {
                return image.width();
            }

            @Override
            public int height() {
                return image.height();
            }

            @Override
            public int channels() {
                return image.channels();
            }

            @Override
            public void read(int channel, int y, int x, int length, float[] dest, int offset) {
                System.arraycopy(image.plane(channel), y * image.width() + x, dest, offset, length);
            }
        };
    }
}
