package org.ijgenai.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.catalog.ModelLocator;
import org.ijgenai.core.image.ImageHeader;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.style.StyleDescriptor;
import org.ijgenai.core.style.StyleFormat;
import org.ijgenai.core.style.StyleOptions;
import org.ijgenai.core.style.StyleTransfer;
import org.ijgenai.imagej.StyleImages;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;

/**
 * {@code ij-genai style}: restyles an image file (every slice of a stack) with an image-to-image generator and
 * writes the RGB result, the same work as the Style Transfer (GAN) command.
 */
public final class StyleCommand implements Subcommand {

    @Override
    public String name() {
        return "style";
    }

    @Override
    public String help() {
        return String.join("\n",
                "  --model DIR|FILE.onnx|NAME  a style model (folder with style.json, an .onnx file or an installed"
                        + " model's name) (required)",
                "  --format NAME        " + String.join(", ", StyleFormat.ids()) + " (default: from style.json)",
                "  --image FILE         an image or stack (required)",
                "  --strength F         blend with the original, 0…1 (default: 1.0)",
                "  --tile N             tile size in pixels, 0 for the model's own (default: 0)",
                "  --out FILE           .tif (stacks too), .png, .jpg or .bmp (required)") + "\n";
    }

    @Override
    public String usage() {
        return "style --model DIR|FILE.onnx|NAME [--format " + String.join("|", StyleFormat.ids())
                + "] --image FILE [--strength F] [--tile N] --out FILE";
    }

    @Override
    public int run(CliArgs args) {
        String modelArg = args.require("model");
        String formatId = args.get("format", null);
        Path imagePath = args.requirePath("image");
        double strength = args.getDouble("strength", 1.0);
        int tile = args.getInt("tile", 0);
        Path out = args.requirePath("out");
        args.rejectUnknown();
        if (!(strength >= 0 && strength <= 1)) {
            throw new UsageException("--strength must be between 0 and 1, got " + strength);
        }
        if (tile != 0 && tile < StyleOptions.MIN_TILE) {
            throw new UsageException("--tile must be 0 (the model's tile size) or at least " + StyleOptions.MIN_TILE
                    + ", got " + tile);
        }
        String extension = extension(out);
        new OutputPaths().input("--image", imagePath).output("--out", out).check();
        StyleFormat format = formatId == null ? null : StyleFormat.parse(formatId);
        StyleDescriptor descriptor = StyleDescriptor.resolve(ModelLocator.resolveFileOrFolder(modelArg, null), format);
        if (!Files.isRegularFile(imagePath)) {
            throw new GenAiException("image not found: " + imagePath);
        }
        // Tiled, so any size that fits in memory: the input, the result and the blend, RGB, and a margin.
        ImageFiles.requireFitsInMemory(imagePath, 16, "style transfer");
        String truncated = ImageHeader.truncationWarning(imagePath);
        if (truncated != null) {
            System.err.println("ij-genai style: warning: " + truncated);
        }
        ImagePlus image = IJ.openImage(imagePath.toString());
        if (image == null) {
            throw new GenAiException("cannot read image " + imagePath + " (TIFF, PNG, JPEG, BMP or GIF expected)");
        }
        if (image.getStackSize() > 1 && !extension.equals("tif")) {
            throw new GenAiException(imagePath + " has " + image.getStackSize() + " slices; write them to a .tif");
        }
        String note = StyleImages.conversionNote(image);
        if (note != null) {
            System.err.println("ij-genai style: " + note);
        }
        long start = System.nanoTime();
        ImagePlus result;
        try (StyleTransfer transfer = StyleTransfer.open(descriptor, SessionSettings.DEFAULT)) {
            result = StyleImages.stylize(image, transfer, new StyleOptions(strength, tile, -1), true,
                    (done, total, message) -> { }, CancellationToken.NONE);
        }
        ImageFiles.save(result, out);
        System.out.printf(Locale.ROOT, "ij-genai style: %s (%d×%d, %d slice%s) with %s in %.1f s%n", out,
                result.getWidth(), result.getHeight(), result.getStackSize(), result.getStackSize() > 1 ? "s" : "",
                descriptor.name(), (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static String extension(Path out) {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        switch (ext) {
            case "tif":
            case "tiff":
                return "tif";
            case "png":
            case "bmp":
                return ext;
            case "jpg":
            case "jpeg":
                return "jpg";
            default:
                throw new UsageException("--out must end in .tif, .png, .jpg or .bmp, got " + out);
        }
    }
}
