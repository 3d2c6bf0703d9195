package org.ijgenai.imagej;

import java.util.ArrayList;
import java.util.List;

import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.Schedulers;
import org.ijgenai.core.text.Emphasis;

import ij.Macro;
import ij.Prefs;
import ij.gui.GenericDialog;

/**
 * The Text to Image fields that the sweep commands (Parameter Grid, Latent Walk) ask for too, with the same macro
 * keys ({@code model}, {@code prompt}, {@code negative}, {@code emphasis}, {@code guidance}, {@code steps},
 * {@code scheduler}, {@code width}, {@code height}) and the same defaults, remembered in {@link Prefs} under each
 * command's own prefix; in a macro, missing keys take the defaults, so recorded macros reproduce.
 */
final class GenerationFields {

    /**
     * The values read, in dialog order.
     *
     * @param scheduler the scheduler's name, or null for the model's own
     */
    record Values(String model, String prompt, String negative, Emphasis emphasis, double guidance, int steps,
            String scheduler, int width, int height) {

        /** The request of these values with a seed and a strength, one image. */
        GenerationRequest request(long seed, double strength, boolean initImageSize) {
            return new GenerationRequest(List.of(prompt), negative.isBlank() ? null : negative, seed, steps,
                    guidance, scheduler, initImageSize ? 0 : width, initImageSize ? 0 : height, 1, strength,
                    emphasis);
        }
    }

    private final String prefix;

    /** Fields remembered under {@code prefix} (e.g. "ijgenai.grid."). */
    GenerationFields(String prefix) {
        this.prefix = prefix;
    }

    /** Whether a macro runs the command (then nothing remembered is used). */
    static boolean macro() {
        return Macro.getOptions() != null;
    }

    /** The remembered text of a field, or {@code fallback} in a macro or when none is remembered. */
    String remembered(String key, String fallback) {
        return macro() ? fallback : Prefs.get(prefix + key, fallback);
    }

    /** The remembered number of a field, or {@code fallback} in a macro or when none is remembered. */
    double remembered(String key, double fallback) {
        return macro() ? fallback : Prefs.get(prefix + key, fallback);
    }

    /** Remembers a field's value for the next dialog. */
    void remember(String key, String value) {
        Prefs.set(prefix + key, value);
    }

    /** Adds the fields, in Text to Image's order. */
    void add(GenericDialog gd) {
        add(gd, "Prompt");
    }

    /** Adds the fields, the prompt's with its own label (whose first word must stay "Prompt", the macro key). */
    void add(GenericDialog gd, String promptLabel) {
        gd.addStringField("Model folder or name", remembered("model", "shapes-sd"), 40);
        gd.addStringField(promptLabel, remembered("prompt", ""), 40);
        gd.addStringField("Negative prompt", remembered("negative", ""), 40);
        StableDiffusionDialog.addEmphasis(gd, remembered("emphasis", Emphasis.ORIGINAL.label()));
        gd.addNumericField("Guidance scale", remembered("guidance", GenerationRequest.DEFAULT_GUIDANCE), 1);
        gd.addNumericField("Steps", remembered("steps", GenerationRequest.DEFAULT_STEPS), 0);
        List<String> schedulers = new ArrayList<>();
        schedulers.add(StableDiffusionDialog.MODEL_DEFAULT);
        schedulers.addAll(Schedulers.NAMES);
        gd.addChoice("Scheduler", schedulers.toArray(new String[0]), remembered("scheduler",
                StableDiffusionDialog.MODEL_DEFAULT));
        gd.addNumericField("Width (0 = model's size)", remembered("width", 0), 0);
        gd.addNumericField("Height (0 = model's size)", remembered("height", 0), 0);
    }

    /**
     * Reads the fields with {@code getNext…} (so the Recorder records them) and remembers them.
     *
     * @throws IllegalArgumentException for no model
     */
    Values read(GenericDialog gd) {
        String model = gd.getNextString().trim();
        String prompt = gd.getNextString();
        String negative = gd.getNextString();
        String emphasis = gd.getNextChoice();
        double guidance = gd.getNextNumber();
        int steps = (int) gd.getNextNumber();
        String scheduler = gd.getNextChoice();
        int width = (int) gd.getNextNumber();
        int height = (int) gd.getNextNumber();
        if (model.isEmpty()) {
            throw new IllegalArgumentException("give a Stable Diffusion model: an ONNX folder or an installed"
                    + " model's name, e.g. shapes-sd");
        }
        remember("model", model);
        remember("prompt", prompt);
        remember("negative", negative);
        remember("emphasis", emphasis);
        remember("scheduler", scheduler);
        Prefs.set(prefix + "guidance", guidance);
        Prefs.set(prefix + "steps", steps);
        Prefs.set(prefix + "width", width);
        Prefs.set(prefix + "height", height);
        return new Values(model, prompt, negative, Emphasis.fromLabel(emphasis), guidance, steps,
                StableDiffusionDialog.MODEL_DEFAULT.equals(scheduler) ? null : scheduler, width, height);
    }
}
