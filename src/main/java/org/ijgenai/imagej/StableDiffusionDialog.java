package org.ijgenai.imagej;

import java.util.ArrayList;
import java.util.List;

import org.ijgenai.core.catalog.ModelLocator;
import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.ModelFolder;
import org.ijgenai.core.diffusion.Schedulers;
import org.ijgenai.core.text.Emphasis;

import ij.Macro;
import ij.Prefs;
import ij.gui.GenericDialog;

/**
 * The parameter fields shared by the Stable Diffusion commands, with their macro keys (the first word of each
 * label) and their memory in {@link Prefs}; in a macro, missing keys take the documented defaults, not the
 * remembered values, so recorded macros reproduce.
 */
final class StableDiffusionDialog {

    /** Step-stack choices, in dialog order. */
    static final String[] STEP_STACKS = {"none", "decoded", "preview"};
    static final String MODEL_DEFAULT = "model default";

    private static final String PREFIX = "ijgenai.sd.";

    /** The step recording of a {@link #STEP_STACKS} choice (none for anything else). */
    static GenerationJob.StepRecording stepRecording(String choice) {
        return choice.equals(STEP_STACKS[1]) ? GenerationJob.StepRecording.DECODED
                : choice.equals(STEP_STACKS[2]) ? GenerationJob.StepRecording.PREVIEW
                : GenerationJob.StepRecording.NONE;
    }

    /** The emphasis modes' names, as the dialogs list them and macros give them ({@code emphasis=[No norm]}). */
    static final String[] EMPHASES = emphases();

    /** The dialog's Help text. */
    static final String HELP = "<html><b>Stable Diffusion (ONNX)</b><br>"
            + "<b>Model folder or name</b>: an installed model's name (e.g. shapes-sd, see Models...) or a diffusers/Optimum ONNX export (model_index.json, unet/, text_encoder/,"
            + " vae_decoder/, vae_encoder/, tokenizer/, scheduler/).<br>"
            + "<b>SDXL</b> (a folder with text_encoder_2/): <i>prompt_2</i> and <i>negative_2</i> feed the second text"
            + " encoder (empty: the same as the first). An empty negative prompt means <i>no</i> negative prompt,"
            + " which SDXL models with force_zeros_for_empty_prompt turn into zero embeddings; tick"
            + " <i>encode_empty_negative</i> to encode the empty text \"\" instead, as diffusers does for"
            + " negative_prompt=\"\". SDXL-Turbo: 1&ndash;4 steps, guidance 0, timestep spacing trailing.<br>"
            + "<b>Emphasis</b>: how <i>(word:1.3)</i> weights act: Original (A1111's: weighted, then the mean"
            + " restored), No norm, Comfy (ComfyUI's: towards the empty prompt), Ignore (brackets parsed away,"
            + " no weighting), None (brackets are plain text).<br>"
            + "<b>Timestep spacing</b> overrides the scheduler config's (leading, linspace or trailing).<br>"
            + "<b>Guidance scale</b> &le; 1 turns classifier-free guidance off (SD-Turbo); LCM models use it as"
            + " their guidance embedding.<br>"
            + "<b>Seed</b> -1 picks one at random; the seed used is stored in the image's Info.<br>"
            + "<b>Step stacks</b>: one slice per UNet evaluation, the current latents and the predicted clean"
            + " image x&#770;0: <i>decoded</i> exactly by the VAE (slower), or <i>preview</i>, a fast linear map fitted"
            + " to the model's VAE.<br>"
            + "Esc cancels within one step. See docs/stable-diffusion.md.</html>";

    /** The values a dialog produced. */
    record Values(String model, GenerationRequest request, String stepStacks) {}

    private StableDiffusionDialog() {}

    /**
     * The macro options that reproduce a txt2img request through the Text to Image command, as the Recorder would
     * write them (values with spaces in brackets).
     */
    static String macroOptions(String model, GenerationRequest request, String stepStacks) {
        StringBuilder options = new StringBuilder();
        append(options, "model", model);
        append(options, "prompt", request.prompts().get(0));
        append(options, "negative", request.negativePrompt() == null ? "" : request.negativePrompt());
        append(options, "guidance", ij.IJ.d2s(request.guidance(), 2));
        append(options, "steps", Integer.toString(request.steps()));
        append(options, "scheduler", request.scheduler() == null ? MODEL_DEFAULT : request.scheduler());
        append(options, "width", Integer.toString(request.width()));
        append(options, "height", Integer.toString(request.height()));
        append(options, "images", Integer.toString(request.imagesPerPrompt()));
        append(options, "seed", Long.toString(request.seed()));
        append(options, "step", stepStacks);
        // Written only when set, so SD 1.x recordings keep their form.
        if (request.prompt2() != null && !request.prompt2().isEmpty()) {
            append(options, "prompt_2", request.prompt2());
        }
        if (request.negativePrompt2() != null && !request.negativePrompt2().isEmpty()) {
            append(options, "negative_2", request.negativePrompt2());
        }
        if (request.timestepSpacing() != null) {
            append(options, "timestep_spacing", request.timestepSpacing());
        }
        if ("".equals(request.negativePrompt())) {
            options.append("encode_empty_negative ");
        }
        if (request.emphasis() != Emphasis.ORIGINAL) {
            append(options, "emphasis", request.emphasis().label());
        }
        return options.toString().trim();
    }

    /** Adds the Emphasis choice (macro key {@code emphasis}, default Original). */
    static void addEmphasis(GenericDialog gd, String current) {
        gd.addChoice("Emphasis", EMPHASES, current);
    }

    private static String[] emphases() {
        Emphasis[] modes = Emphasis.values();
        String[] labels = new String[modes.length];
        for (int i = 0; i < modes.length; i++) {
            labels[i] = modes[i].label();
        }
        return labels;
    }

    private static void append(StringBuilder options, String key, String value) {
        boolean bracket = value.isEmpty() || value.contains(" ") || value.contains("=");
        options.append(key).append('=').append(bracket ? "[" + value + "]" : value).append(' ');
    }

    /**
     * The opened folder of what the user typed for the model, or null while it names none (or one that cannot be
     * opened: running it reports why), so the front ends can take the model's own defaults (SDXL-Turbo: 1 step,
     * guidance 0) without failing on half-typed text.
     */
    static ModelFolder folderOrNull(String modelText) {
        if (modelText == null || modelText.isBlank()) {
            return null;
        }
        try {
            return ModelFolder.open(ModelLocator.resolve(modelText, Prefs.get(ModelsWindow.PREF_USER_DIR, "")));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * In the dialog, a model typed or pasted that is SDXL-Turbo (its scheduler config says trailing) sets Steps and
     * Guidance to its defaults, once per model, as the CLI defaults them.
     */
    private static void followModelDefaults(GenericDialog gd) {
        java.util.Vector<?> strings = gd.getStringFields();
        java.util.Vector<?> numbers = gd.getNumericFields();
        if (strings == null || numbers == null || numbers.size() < 2) {
            return;
        }
        java.awt.TextField modelField = (java.awt.TextField) strings.get(0);
        java.awt.TextField guidanceField = (java.awt.TextField) numbers.get(0);
        java.awt.TextField stepsField = (java.awt.TextField) numbers.get(1);
        String[] last = {modelField.getText().trim()};
        // A listener on the field itself, not a DialogListener: with a DialogListener ImageJ records only what the
        // listener reads with getNext…, so the Recorder would write the command without its options.
        modelField.addTextListener(event -> {
            String now = modelField.getText().trim();
            if (!now.equals(last[0])) {
                last[0] = now;
                ModelFolder folder = folderOrNull(now);
                if (folder != null && folder.isTurbo()) {
                    stepsField.setText(Integer.toString(folder.defaultSteps()));
                    guidanceField.setText(ij.IJ.d2s(folder.defaultGuidance(), 1));
                }
            }
        });
    }

    /**
     * The steps and guidance of a macro run: those the options give, else the model's defaults (SDXL-Turbo: 1 and
     * 0; every other model, or one that cannot be opened, the dialog's {@code steps} and {@code guidance}).
     */
    static double[] macroStepsAndGuidance(String options, String model, int steps, double guidance) {
        boolean stepsGiven = Macro.getValue(options, "steps", null) != null;
        boolean guidanceGiven = Macro.getValue(options, "guidance", null) != null;
        ModelFolder folder = stepsGiven && guidanceGiven ? null : folderOrNull(model);
        if (folder == null) {
            return new double[] {steps, guidance};
        }
        return new double[] {stepsGiven ? steps : folder.defaultSteps(),
            guidanceGiven ? guidance : folder.defaultGuidance()};
    }

    private static boolean macro() {
        return Macro.getOptions() != null;
    }

    private static String remembered(String key, String fallback) {
        return macro() ? fallback : Prefs.get(PREFIX + key, fallback);
    }

    private static double remembered(String key, double fallback) {
        return macro() ? fallback : Prefs.get(PREFIX + key, fallback);
    }

    /**
     * Shows the dialog (or reads the macro options) and returns the values, or null when cancelled.
     *
     * @param img2img whether to ask for a strength instead of a size
     */
    static Values ask(String title, boolean img2img, String help) {
        GenericDialog gd = new GenAiDialog(title);
        gd.addStringField("Model folder or name", remembered("model", "shapes-sd"), 40);
        gd.addStringField("Prompt", remembered("prompt", ""), 40);
        gd.addStringField("Negative prompt", remembered("negative", ""), 40);
        // Underscored labels: the macro keys are prompt_2 and negative_2 (the dialog shows spaces).
        gd.addStringField("Prompt_2 (SDXL, empty = the prompt)", remembered("prompt_2", ""), 40);
        gd.addStringField("Negative_2 (SDXL, empty = the negative prompt)", remembered("negative_2", ""), 40);
        gd.addCheckbox("Encode_empty_negative (SDXL: \"\" encoded, not zero embeddings)", macro() ? false
                : Prefs.get(PREFIX + "encode_empty_negative", false));
        addEmphasis(gd, remembered("emphasis", Emphasis.ORIGINAL.label()));
        gd.addNumericField("Guidance scale", remembered("guidance", GenerationRequest.DEFAULT_GUIDANCE), 1);
        gd.addNumericField("Steps", remembered("steps", GenerationRequest.DEFAULT_STEPS), 0);
        List<String> schedulers = new ArrayList<>();
        schedulers.add(MODEL_DEFAULT);
        schedulers.addAll(Schedulers.NAMES);
        gd.addChoice("Scheduler", schedulers.toArray(new String[0]), remembered("scheduler", MODEL_DEFAULT));
        List<String> spacings = new ArrayList<>();
        spacings.add(MODEL_DEFAULT);
        spacings.addAll(GenerationRequest.TIMESTEP_SPACINGS);
        gd.addChoice("Timestep_spacing", spacings.toArray(new String[0]), remembered("timestep_spacing",
                MODEL_DEFAULT));
        if (img2img) {
            gd.addNumericField("Strength", remembered("strength", GenerationRequest.DEFAULT_STRENGTH), 2);
        } else {
            gd.addNumericField("Width (0 = model's size)", remembered("width", 0), 0);
            gd.addNumericField("Height (0 = model's size)", remembered("height", 0), 0);
        }
        gd.addNumericField("Images per prompt", remembered("images", 1), 0);
        gd.addNumericField("Seed (-1 = random)", -1, 0);
        gd.addChoice("Step stacks", STEP_STACKS, remembered("stacks", STEP_STACKS[0]));
        gd.addHelp(help);
        if (!macro()) {
            followModelDefaults(gd);
        }
        gd.showDialog();
        if (gd.wasCanceled()) {
            return null;
        }
        String model = gd.getNextString().trim();
        String prompt = gd.getNextString();
        String negative = gd.getNextString();
        String prompt2 = gd.getNextString();
        String negative2 = gd.getNextString();
        boolean encodeEmptyNegative = gd.getNextBoolean();
        String emphasis = gd.getNextChoice();
        double guidance = gd.getNextNumber();
        int steps = (int) gd.getNextNumber();
        String scheduler = gd.getNextChoice();
        String spacing = gd.getNextChoice();
        double strength = img2img ? gd.getNextNumber() : GenerationRequest.DEFAULT_STRENGTH;
        int width = img2img ? 0 : (int) gd.getNextNumber();
        int height = img2img ? 0 : (int) gd.getNextNumber();
        int images = (int) gd.getNextNumber();
        long seed = (long) gd.getNextNumber();
        String stacks = gd.getNextChoice();
        if (gd.invalidNumber()) {
            throw new IllegalArgumentException("a numeric field holds something that is not a number");
        }
        if (model.isEmpty()) {
            throw new IllegalArgumentException("give a Stable Diffusion model: an ONNX folder (diffusers layout) or"
                    + " the name of an installed model, e.g. shapes-sd");
        }
        // A macro that leaves out steps or guidance gets the model's defaults, as the CLI does (SDXL-Turbo: 1 step,
        // guidance 0; every other model the documented 20 and 7.5).
        if (macro()) {
            double[] chosen = macroStepsAndGuidance(Macro.getOptions(), model, steps, guidance);
            steps = (int) chosen[0];
            guidance = chosen[1];
        }
        // An empty field is no negative prompt, unless the empty text itself is asked for (SDXL tells them apart).
        String negativePrompt = !negative.isBlank() ? negative : encodeEmptyNegative ? "" : null;
        GenerationRequest request = new GenerationRequest(List.of(prompt), negativePrompt, seed, steps, guidance,
                MODEL_DEFAULT.equals(scheduler) ? null : scheduler, width, height, images, strength,
                Emphasis.fromLabel(emphasis), prompt2,
                negative2, MODEL_DEFAULT.equals(spacing) ? null : spacing);
        Prefs.set(PREFIX + "model", model);
        Prefs.set(PREFIX + "prompt", prompt);
        Prefs.set(PREFIX + "negative", negative);
        Prefs.set(PREFIX + "prompt_2", prompt2);
        Prefs.set(PREFIX + "negative_2", negative2);
        Prefs.set(PREFIX + "encode_empty_negative", encodeEmptyNegative);
        Prefs.set(PREFIX + "emphasis", emphasis);
        Prefs.set(PREFIX + "timestep_spacing", spacing);
        Prefs.set(PREFIX + "guidance", guidance);
        Prefs.set(PREFIX + "steps", steps);
        Prefs.set(PREFIX + "scheduler", scheduler);
        if (img2img) {
            Prefs.set(PREFIX + "strength", strength);
        } else {
            Prefs.set(PREFIX + "width", width);
            Prefs.set(PREFIX + "height", height);
        }
        Prefs.set(PREFIX + "images", images);
        Prefs.set(PREFIX + "stacks", stacks);
        return new Values(model, request, stacks);
    }
}
