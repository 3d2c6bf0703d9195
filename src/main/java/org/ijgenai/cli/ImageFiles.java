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
import javax.imageio.stream.ImageOutputStream;

import org.ijgenai.core.AtomicFiles;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.A1111Parameters;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.diffusion.InitImage;
import org.ijgenai.core.image.ImageHeader;
import org.ijgenai.core.image.PngText;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.measure.ResultsTable;
import ij.plugin.PNG_Writer;
import ij.process.ImageProcessor;

/** Reading init images and writing results: PNG with text chunks, TIFF through ImageJ (Info and slice labels kept). */
final class ImageFiles {

    private static final String PNG_FORMAT = "javax_imageio_png_1.0";
    /** The largest init image img2img decodes: 4096×4096 pixels. */
    static final long MAX_INIT_PIXELS = 4096L * 4096L;

    private ImageFiles() {}

    /**
     * Writes packed RGB pixels as a PNG with one text chunk per parameter (iTXt, so any Unicode survives), through
     * a temporary file and a rename ({@link AtomicFiles}). Generation parameters (a map with a prompt and steps)
     * also get A1111's {@code parameters} chunk, so that other tools read them, unless the map already has one.
     */
    static void writePng(Path file, int[] rgb, int width, int height, Map<String, String> parameters)
            throws IOException {
        Map<String, String> text = parameters;
        if (!parameters.containsKey("parameters") && parameters.containsKey("prompt")
                && parameters.containsKey("steps")) {
            text = new LinkedHashMap<>(parameters);
            text.put("parameters", A1111Parameters.format(parameters));
        }
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
            AtomicFiles.write(file, temporary -> {
                try (ImageOutputStream out = ImageIO.createImageOutputStream(temporary.toFile())) {
                    writer.setOutput(out);
                    writer.write(null, new IIOImage(image, null, metadata), param);
                }
            });
        } finally {
            writer.dispose();
        }
    }

    /** Reads the text chunks (tEXt, iTXt, zTXt) of a PNG, in file order. */
    static Map<String, String> readPngText(Path file) throws IOException {
        return PngText.read(file);
    }

    /**
     * Saves an ImagePlus as TIFF (a stack when it has several slices), keeping Info and slice labels, through a
     * temporary file and a rename.
     */
    static void writeTiff(Path file, ImagePlus imp) {
        // ImageJ's own TIFF bytes (what File › Save As › Tiff writes), so the I/O and its errors stay ours.
        byte[] tiff = imp.getStack().isVirtual() ? null : new FileSaver(imp).serialize();
        if (tiff == null) {
            throw new GenAiException("cannot write " + file + ": ImageJ could not encode " + imp.getTitle()
                    + " as TIFF");
        }
        AtomicFiles.writeBytes(file, tiff);
    }

    /**
     * Saves an ImagePlus by the file's extension, through a temporary file and a rename: {@code .tif}/{@code .tiff}
     * (stacks too), {@code .png}, {@code .jpg}/{@code .jpeg} and {@code .bmp} (the current slice).
     *
     * @throws GenAiException for another extension, or naming why the file could not be written
     */
    static void save(ImagePlus imp, Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (isTiff(file)) {
            writeTiff(file, imp);
        } else if (name.endsWith(".png")) {
            savePng(imp, file);
        } else if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            AtomicFiles.write(file, temporary -> writeJpeg(imp, temporary));
        } else if (name.endsWith(".bmp")) {
            AtomicFiles.write(file, temporary -> writeRgb(imp, "bmp", temporary));
        } else {
            throw new GenAiException("cannot write " + file + ": use .tif, .png, .jpg or .bmp");
        }
    }

    /** Saves the current slice as a PNG as File › Save As › PNG does (16-bit stays 16-bit), atomically. */
    static void savePng(ImagePlus imp, Path file) {
        AtomicFiles.write(file, temporary -> new PNG_Writer().writeImage(imp, temporary.toString(), -1));
    }

    private static void writeJpeg(ImagePlus imp, Path file) throws IOException {
        BufferedImage rgb = rgbImage(imp);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(FileSaver.getJpegQuality() / 100f);
            writer.setOutput(out);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    private static void writeRgb(ImagePlus imp, String format, Path file) throws IOException {
        if (!ImageIO.write(rgbImage(imp), format, file.toFile())) {
            throw new IOException("no ImageIO writer for " + format);
        }
    }

    // The current slice as ImageJ displays it (display range, LUT), in 8-bit RGB.
    private static BufferedImage rgbImage(ImagePlus imp) {
        ImageProcessor processor = imp.getProcessor().convertToRGB();
        BufferedImage rgb = new BufferedImage(processor.getWidth(), processor.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, processor.getWidth(), processor.getHeight(), (int[]) processor.getPixels(), 0,
                processor.getWidth());
        return rgb;
    }

    /**
     * Reads an init image as 8-bit RGB, converting 8-bit grey or indexed colour; 16/32-bit images and stacks are
     * refused with an explanation.
     */
    static InitImage readInit(Path file) {
        RgbImage rgb = readRgb(file, "img2img", "init image");
        return new InitImage(rgb.rgb(), rgb.width(), rgb.height(), file.getFileName().toString());
    }

    /**
     * Reads a single 8-bit grey, indexed or RGB image as 8-bit RGB; 16/32-bit images and stacks are refused, and
     * so is a file whose header declares more than {@link #MAX_INIT_PIXELS}, before it is decoded.
     *
     * @param command the subcommand, for messages ("img2img", "inpaint")
     * @param what how the file is named in messages ("init image", "mask")
     */
    static RgbImage readRgb(Path file, String command, String what) {
        if (!Files.isRegularFile(file)) {
            throw new GenAiException(what + " not found: " + file);
        }
        ImageHeader.requireAtMost(file, MAX_INIT_PIXELS, command + "'s " + what,
                "4096×4096; Stable Diffusion cannot draw larger pictures in one piece");
        String truncated = ImageHeader.truncationWarning(file);
        if (truncated != null) {
            System.err.println("ij-genai " + command + ": warning: " + truncated);
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

    /**
     * Refuses an image whose header declares more pixels than fit in the JVM's memory at {@code bytesPerPixel}
     * (the command's own estimate of what it holds per pixel), before ImageJ decodes it.
     */
    static void requireFitsInMemory(Path file, double bytesPerPixel, String what) {
        long max = ImageHeader.fitsInMemory(bytesPerPixel);
        ImageHeader.requireAtMost(file, max, what, String.format(Locale.ROOT, "about %.0f bytes a pixel in the"
                + " %.1f GB this JVM may use; JAVA_OPTS=-Xmx…g raises it", bytesPerPixel,
                Runtime.getRuntime().maxMemory() / 1e9));
    }

    /**
     * Writes a results table as CSV (a header row, then one row per table row; a field with a comma, quote or line
     * break is quoted), atomically: ImageJ's own {@code ResultsTable.save} writes in place and ignores a full disk.
     */
    static void writeCsv(Path file, ResultsTable rt) {
        String[] headings = rt.getHeadings();
        StringBuilder csv = new StringBuilder();
        for (int c = 0; c < headings.length; c++) {
            csv.append(c > 0 ? "," : "").append(csvField(headings[c]));
        }
        csv.append('\n');
        for (int row = 0; row < rt.size(); row++) {
            for (int c = 0; c < headings.length; c++) {
                csv.append(c > 0 ? "," : "").append(csvField(rt.getStringValue(headings[c], row)));
            }
            csv.append('\n');
        }
        AtomicFiles.writeString(file, csv.toString());
    }

    private static String csvField(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /**
     * Creates an output folder (and its parents) before any work, so a read-only or full disk stops the run at once.
     *
     * @throws GenAiException saying why, in words
     */
    static void createFolder(Path dir, String option) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw GenAiException.io("cannot create the " + option + " folder " + dir, e);
        }
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
