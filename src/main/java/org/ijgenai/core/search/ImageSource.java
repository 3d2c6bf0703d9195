package org.ijgenai.core.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One image to index: where it comes from (file, or slice of an open stack) and how to load it as RGB. Loading
 * runs on a decoder thread, so it must not touch user-interface state.
 */
public interface ImageSource {

    /** The path, slice, size and modification time recorded in the index. */
    IndexedImage entry();

    /** Decodes the image. @throws IOException with a message for the user when it cannot be read */
    RgbImage load() throws IOException;

    /** An image file, decoded with {@link ImageFileReader}. */
    static ImageSource file(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        IndexedImage entry = new IndexedImage(absolute.toString(), 0, Files.size(absolute),
                Files.getLastModifiedTime(absolute).toMillis());
        return new ImageSource() {
            @Override
            public IndexedImage entry() {
                return entry;
            }

            @Override
            public RgbImage load() throws IOException {
                return ImageFileReader.read(absolute);
            }
        };
    }
}
