package org.ijgenai.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.diffusion.InitImage;
import org.w3c.dom.Node;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;

/** Reading init images and writing results: PNG with text chunks, TIFF through ImageJ (Info and slice labels kept). */
final class ImageFiles {

    private static final String PNG_FORMAT = "javax_imageio_png_1.0";

    private ImageFiles() {}

    /** Writes packed RGB pixels as a PNG with one text chunk per parameter (iTXt, so any Unicode survives). */
    static void writePng(Path file, int[] rgb, int width, int height, Map<String, String> text) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width, height, rgb, 0, width);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(
                    ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_RGB), param);
            IIOMetadataNode root = new IIOMetadataNode(PNG_FORMAT);
            IIOMetadataNode itxt = new IIOMetadataNode("iTXt");
            for (Map.Entry<String, String> e : text.entrySet()) {
                IIOMetadataNode entry = new IIOMetadataNode("iTXtEntry");
                entry.setAttribute("keyword", e.getKey());
                entry.setAttribute("compressionFlag", "FALSE");
                entry.setAttribute("compressionMethod", "0");
                entry.setAttribute("languageTag", "");
                entry.setAttribute("translatedKeyword", "");
                entry.setAttribute("text", e.getValue());
                itxt.appendChild(entry);
            }
            root.appendChild(itxt);
            metadata.mergeTree(PNG_FORMAT, root);
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(file);
            try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, metadata), param);
            }
        } finally {
            writer.dispose();
        }
    }

    /** Reads the text chunks (tEXt, iTXt, zTXt) of a PNG, in file order. */
    static Map<String, String> readPngText(Path file) throws IOException {
        Map<String, String> text = new LinkedHashMap<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            var readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new GenAiException(file + " is not an image ImageIO can read");
            }
            var reader = readers.next();
            try {
                reader.setInput(in);
                IIOMetadata metadata = reader.getImageMetadata(0);
                if (!java.util.Arrays.asList(metadata.getMetadataFormatNames()).contains(PNG_FORMAT)) {
                    throw new GenAiException(file + " is not a PNG; only PNG files carry generation parameters");
                }
                Node root = metadata.getAsTree(PNG_FORMAT);
                for (Node chunk = root.getFirstChild(); chunk != null; chunk = chunk.getNextSibling()) {
                    String name = chunk.getNodeName();
                    if (!name.equals("tEXt") && !name.equals("iTXt") && !name.equals("zTXt")) {
                        continue;
                    }
                    for (Node entry = chunk.getFirstChild(); entry != null; entry = entry.getNextSibling()) {
                        var attributes = entry.getAttributes();
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

    /** Saves an ImagePlus as TIFF (a stack when it has several slices), keeping Info and slice labels. */
    static void writeTiff(Path file, ImagePlus imp) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileSaver saver = new FileSaver(imp);
        boolean ok = imp.getStackSize() > 1 ? saver.saveAsTiffStack(file.toString()) : saver.saveAsTiff(file.toString());
        if (!ok) {
            throw new IOException("could not write " + file);
        }
    }

    /**
     * Reads an init image as 8-bit RGB, converting 8-bit grey or indexed colour; 16/32-bit images and stacks are
     * refused with an explanation.
     */
    static InitImage readInit(Path file) {
        RgbImage rgb = readRgb(file, "init image");
        return new InitImage(rgb.rgb(), rgb.width(), rgb.height(), file.getFileName().toString());
    }

    /**
     * Reads a single 8-bit grey, indexed or RGB image as 8-bit RGB; 16/32-bit images and stacks are refused.
     *
     * @param what how the file is named in messages ("init image", "mask")
     */
    static RgbImage readRgb(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new GenAiException(what + " not found: " + file);
        }
        ImagePlus imp = IJ.openImage(file.toString());
        if (imp == null) {
            throw new GenAiException("cannot read " + what + " " + file + " (expected PNG, JPEG, BMP, GIF or TIFF)");
        }
        try {
            if (imp.getStackSize() > 1) {
                throw new GenAiException(what + " " + file + " is a stack of " + imp.getStackSize()
                        + " slices; give a single RGB or 8-bit image");
            }
            int type = imp.getType();
            if (type == ImagePlus.GRAY16 || type == ImagePlus.GRAY32) {
                throw new GenAiException(what + " " + file + " is " + imp.getBitDepth() + "-bit; convert it to"
                        + " 8-bit or RGB first (Image › Type), choosing the display range you want");
            }
            int[] pixels = (int[]) imp.getProcessor().convertToRGB().getPixels();
            byte[] rgb = new byte[pixels.length * 3];
            for (int i = 0; i < pixels.length; i++) {
                rgb[i * 3] = (byte) (pixels[i] >> 16);
                rgb[i * 3 + 1] = (byte) (pixels[i] >> 8);
                rgb[i * 3 + 2] = (byte) pixels[i];
            }
            return new RgbImage(imp.getWidth(), imp.getHeight(), rgb);
        } finally {
            imp.close();
        }
    }

    /** Packs an RGB image into 0xRRGGBB pixels. */
    static int[] packed(RgbImage image) {
        byte[] rgb = image.rgb();
        int[] out = new int[image.width() * image.height()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((rgb[i * 3] & 0xFF) << 16) | ((rgb[i * 3 + 1] & 0xFF) << 8) | (rgb[i * 3 + 2] & 0xFF);
        }
        return out;
    }

    /** Whether a path names a TIFF file. */
    static boolean isTiff(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".tif") || name.endsWith(".tiff");
    }

    /** Whether a path names a PNG file. */
    static boolean isPng(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
    }

    /** {@code x.png} → {@code x-3.png}. */
    static Path numbered(Path file, int number) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = dot > 0 ? name.substring(0, dot) + "-" + number + name.substring(dot) : name + "-" + number;
        return file.resolveSibling(numbered);
    }

    /** {@code steps.tif} → {@code steps-x0.tif}. */
    static Path suffixed(Path file, String suffix) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String out = dot > 0 ? name.substring(0, dot) + suffix + name.substring(dot) : name + suffix;
        return file.resolveSibling(out);
    }
}
