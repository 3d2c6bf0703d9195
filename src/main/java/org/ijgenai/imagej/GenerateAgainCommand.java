package org.ijgenai.imagej;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.catalog.ModelLocator;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.ModelFolder;
import org.ijgenai.core.diffusion.ModelHash;
import org.ijgenai.core.diffusion.StoredParameters;
import org.ijgenai.core.image.PngText;
import org.ijgenai.core.progress.CancelledException;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

/**
 * Plugins › Generative AI › Generate Again...: makes a Text to Image picture again, bit for bit, from the
 * parameters it carries: the current image's (its {@code sd.*} properties or Info), or a file's: a PNG written by
 * {@code bin/ij-genai txt2img} (its text chunks) or by AUTOMATIC1111 and tools that write its {@code parameters}
 * chunk (fields not used are named in the Log), or a TIFF saved from ImageJ. The same core call as
 * {@code txt2img --from}.
 */
public final class GenerateAgainCommand extends GenAiCommand implements PlugIn {

    private static final String TITLE = "Generate Again";
    /** Where the parameters come from. */
    static final String[] SOURCES = {"image", "file"};

    private static final String HELP = "<html><b>Generate Again</b><br>"
            + "<b>Source</b> image: the current image's parameters (Image › Show Info); file: a PNG made by"
            + " <i>bin/ij-genai txt2img</i> or by AUTOMATIC1111 (its <i>parameters</i> text), or a TIFF saved"
            + " from ImageJ.<br>"
            + "<b>Model</b>: empty uses the recorded model (its folder when it exists here, else its name); an"
            + " A1111 picture needs one.<br>"
            + "Fields of an A1111 picture that have no equivalent here (Clip skip, Version, LoRA hashes, ...) are"
            + " named in the Log and ignored. A recorded Model hash other than the model's in use is warned about in"
            + " the Log: the picture will differ. Image to Image and Generative Fill results need their input image"
            + " and cannot be made again from their parameters alone.</html>";

    @Override
    public void run(String arg) {
        GenericDialog gd = new GenAiDialog(TITLE);
        boolean macro = Macro.getOptions() != null;
        gd.addChoice("Source", SOURCES, SOURCES[0]);
        gd.addStringField("File (PNG or TIFF, for source=file)", macro ? "" : Prefs.get("ijgenai.again.file", ""),
                40);
        gd.addStringField("Model (empty = the recorded one)", "", 40);
        gd.addHelp(HELP);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String source = gd.getNextChoice();
        String file = gd.getNextString().trim();
        String model = gd.getNextString().trim();
        StableDiffusionDialog.Values values;
        try {
            StoredParameters.Read read;
            String from;
            if (source.equals(SOURCES[1])) {
                if (file.isEmpty()) {
                    throw new IllegalArgumentException("source=file needs file=: a PNG or TIFF with generation"
                            + " parameters");
                }
                Prefs.set("ijgenai.again.file", file);
                read = read(Path.of(file));
                from = Path.of(file).getFileName().toString();
            } else {
                ImagePlus image = WindowManager.getCurrentImage();
                if (image == null) {
                    throw new IllegalArgumentException("source=image needs an open image made by Text to Image"
                            + " (or use source=file)");
                }
                read = read(image);
                from = image.getTitle();
            }
            if (!read.ignored().isEmpty()) {
                IJ.log(TITLE + ": " + from + ": ignoring " + String.join(", ", read.ignored()));
            }
            values = values(read.values(), model, from);
        } catch (IllegalArgumentException | GenAiException | CancelledException e) {
            // Esc while the model is hashed for the first time cancels too.
            reportError(TITLE, e);
            return;
        }
        StableDiffusionRunner.run(TITLE, values, null);
    }

    /**
     * The generation a record describes, on {@code model} when given, else on the recorded one.
     *
     * @throws IllegalArgumentException when the record cannot be made again, saying why
     */
    static StableDiffusionDialog.Values values(Map<String, String> stored, String model, String from) {
        String why = StoredParameters.notReproducible(stored);
        if (why != null) {
            throw new IllegalArgumentException("cannot make " + from + " again: " + why);
        }
        String chosen = model.isEmpty() ? StoredParameters.model(stored) : model;
        if (chosen == null) {
            throw new IllegalArgumentException(from + " names no model found on this machine: give model= (an"
                    + " installed model's name or an ONNX folder)");
        }
        String userDir = Prefs.get(ModelsWindow.PREF_USER_DIR, "");
        ModelFolder folder = ModelFolder.open(ModelLocator.resolve(chosen, userDir));
        // Another model (or the same one changed) makes another picture: say so, as txt2img --from does.
        String mismatch = ModelHash.shared().replayWarning(from, stored, folder, statusProgress(TITLE),
                escapeCancels());
        if (mismatch != null) {
            IJ.log(TITLE + ": warning: " + mismatch);
        }
        GenerationRequest request = StoredParameters.request(stored, folder);
        return new StableDiffusionDialog.Values(chosen, request, StableDiffusionDialog.STEP_STACKS[0]);
    }

    /** The parameters of a PNG (text chunks) or a TIFF (ImageJ's Info and properties). */
    static StoredParameters.Read read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("file=" + file + " does not exist");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            try {
                return StoredParameters.fromPngText(PngText.read(file));
            } catch (IOException e) {
                throw new GenAiException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        if (name.endsWith(".tif") || name.endsWith(".tiff")) {
            ImagePlus image = IJ.openImage(file.toString());
            if (image == null) {
                throw new IllegalArgumentException(file + " is not a TIFF ImageJ can open");
            }
            return read(image);
        }
        throw new IllegalArgumentException("file=" + file + " is neither a PNG nor a TIFF");
    }

    /** The parameters of an image: its {@code sd.*} properties, else its Info. */
    static StoredParameters.Read read(ImagePlus image) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] properties = image.getPropertiesAsArray();
        if (properties != null) {
            for (int i = 0; i + 1 < properties.length; i += 2) {
                if (properties[i].startsWith(GeneratedImagePlus.PROPERTY_PREFIX)) {
                    values.put(properties[i].substring(GeneratedImagePlus.PROPERTY_PREFIX.length()),
                            properties[i + 1]);
                }
            }
        }
        if (!values.isEmpty()) {
            return new StoredParameters.Read(values, java.util.List.of());
        }
        String info = image.getInfoProperty();
        return StoredParameters.fromInfo(info == null ? "" : info);
    }
}
