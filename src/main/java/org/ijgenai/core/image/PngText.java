package org.ijgenai.core.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;

import org.ijgenai.core.GenAiException;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/** Reads the text chunks of a PNG (where generation parameters travel with the picture). */
public final class PngText {

    private static final String PNG_FORMAT = "javax_imageio_png_1.0";

    private PngText() {}

    /**
     * The text chunks (tEXt, iTXt, zTXt) of a PNG, in file order.
     *
     * @throws GenAiException when the file is no image, or not a PNG
     */
    public static Map<String, String> read(Path file) throws IOException {
        Map<String, String> text = new LinkedHashMap<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new GenAiException(file + " cannot be read");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new GenAiException(file + " is not an image ImageIO can read");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                IIOMetadata metadata = reader.getImageMetadata(0);
                if (!Arrays.asList(metadata.getMetadataFormatNames()).contains(PNG_FORMAT)) {
                    throw new GenAiException(file + " is not a PNG; only PNG files carry generation parameters");
                }
                Node root = metadata.getAsTree(PNG_FORMAT);
                for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
                    String name = chunk.getNodeName();
                    if (!name.equals("tEXt") && !name.equals("iTXt") && !name.equals("zTXt")) {
                        continue;
                    }
                    for (Node entry = chunk.getFirstChild(); entry != null; entry = entry.getNextSibling()) {
                        NamedNodeMap attributes = entry.getAttributes();
                        String key = attributes.getNamedItem("keyword").getNodeValue();
                        Node value = attributes.getNamedItem(name.equals("tEXt") ? "value" : "text");
                        if (value != null) {
                            text.put(key, value.getNodeValue());
                        }
                    }
                }
            } finally {
                reader.dispose();
            }
        }
        return text;
    }
}
