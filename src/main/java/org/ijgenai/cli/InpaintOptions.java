package org.ijgenai.cli;

import java.nio.file.Path;
import java.util.Locale;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.InpaintSettings;
import org.ijgenai.core.diffusion.MaskedContent;
import org.ijgenai.core.diffusion.SelectionMasks;
import org.ijgenai.core.image.RgbImage;

/**
 * The mask and fill options that {@code inpaint}, {@code expand} and {@code grid --mask} share, read into
 * {@link InpaintSettings} with the same names and defaults, so that a grid cell is the inpaint command's picture;
 * {@link OptionHelp#inpaint} describes them.
 */
final class InpaintOptions {

    /** The usage fragment of the shared options. */
    static final String USAGE = "[--strength F] [--masked-content original|fill|latent_noise|latent_nothing]"
            + " [--grow PX] [--feather PX] [--blend PX] [--context masked|whole] [--padding PX] [--composite on|off]";

    private InpaintOptions() {}

    /**
     * The settings given in {@code args}, {@code defaults} for the others.
     *
     * @throws UsageException for a value out of range or not one of the choices, naming the option
     */
    static InpaintSettings settings(CliArgs args, InpaintSettings defaults) {
        double strength = args.getDouble("strength", defaults.strength());
        MaskedContent content;
        InpaintSettings.Context context;
        try {
            content = MaskedContent.parse(args.get("masked-content", defaults.maskedContent().key()));
            context = InpaintSettings.Context.parse(args.get("context", defaults.context().key()));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int grow = args.getInt("grow", defaults.grow());
        int feather = args.getInt("feather", defaults.feather());
        int blend = args.getInt("blend", defaults.blend());
        int padding = args.getInt("padding", defaults.padding());
        String composite = args.get("composite", "on").toLowerCase(Locale.ROOT);
        if (!composite.equals("on") && !composite.equals("off")) {
            throw new UsageException("--composite must be on or off, was " + composite);
        }
        try {
            return new InpaintSettings(grow, feather, blend, context, padding, composite.equals("on"), content,
                    strength);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * The selection of a white-on-black mask file (PIL's luminance, white = repaint) of the init image's size.
     *
     * @throws GenAiException when the file cannot be read or its size differs from the image's
     */
    static float[] readMask(Path maskFile, RgbImage image, Path init, String command) {
        RgbImage maskImage = ImageFiles.readRgb(maskFile, command, "mask");
        if (maskImage.width() != image.width() || maskImage.height() != image.height()) {
            throw new GenAiException("mask " + maskFile + " is " + maskImage.width() + "×" + maskImage.height()
                    + " but the init image " + init + " is " + image.width() + "×" + image.height()
                    + "; give a mask of the image's size (white = repaint)");
        }
        return SelectionMasks.fromGrey(luminance(maskImage));
    }

    /** PIL's convert("L"): L = (19595·R + 38470·G + 7471·B + 2¹⁵) >> 16. */
    static byte[] luminance(RgbImage image) {
        byte[] rgb = image.rgb();
        byte[] out = new byte[image.width() * image.height()];
        for (int i = 0; i < out.length; i++) {
            int r = rgb[i * 3] & 0xFF;
            int g = rgb[i * 3 + 1] & 0xFF;
            int b = rgb[i * 3 + 2] & 0xFF;
            out[i] = (byte) ((19595 * r + 38470 * g + 7471 * b + 0x8000) >> 16);
        }
        return out;
    }
}
