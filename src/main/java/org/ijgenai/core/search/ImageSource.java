package org.ijgenai.core.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.RgbImage;

/**
 * One image to index: where it comes from (file, or slice of an open stack) and how to load it as RGB. Loading
 * runs on a decoder thread, so it must not touch user-interface state.
 */
public interface ImageSource {

    /** The path, slice, size and modification time recorded in the index. */
    IndexedImage entry();

    /** Decodes the image. @throws GenAiException with a message for the user when it cannot be read */
    RgbImage load();

    /**
     * An image file, decoded with {@link ImageFileReader}, refused (with its size) when it declares more than
     * {@link ImageFileReader#maxPixels maxPixels(1)}.
     *
     * @throws GenAiException when the file's size or modification time cannot be read
     */
    static ImageSource file(Path file) {
        return file(file, ImageFileReader.maxPixels(1));
    }

    /**
     * An image file, decoded with {@link ImageFileReader}, refused before decoding when its header declares more
     * than {@code maxPixels}.
     *
     * @throws GenAiException when the file's size or modification time cannot be read
     */
    static ImageSource file(Path file, long maxPixels) {
        Path absolute = file.toAbsolutePath().normalize();
        IndexedImage entry;
        try {
            entry = new IndexedImage(absolute.toString(), 0, Files.size(absolute),
                    Files.getLastModifiedTime(absolute).toMillis());
        } catch (IOException e) {
            throw GenAiException.io("reading the size and date of " + absolute, e);
        }
        return new ImageSource() {
            @Override
            public IndexedImage entry() {
                return entry;
            }

            @Override
            public RgbImage load() {
                return ImageFileReader.read(absolute, maxPixels);
            }
        };
    }
}
