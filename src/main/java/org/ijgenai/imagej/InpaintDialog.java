package org.ijgenai.imagej;

import java.awt.AWTEvent;
import java.util.ArrayList;
import java.util.List;

import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.InpaintSettings;
import org.ijgenai.core.diffusion.MaskedContent;
import org.ijgenai.core.diffusion.Schedulers;
import org.ijgenai.core.diffusion.SelectionMasks;
import org.ijgenai.core.text.Emphasis;

import ij.ImagePlus;
import ij.Macro;
import ij.Prefs;
import ij.gui.DialogListener;
import ij.gui.GenericDialog;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.process.ColorProcessor;

/**
 * The dialog of Generative Fill and Generative Expand: the generation fields, the mask fields (grow, feather,
 * blend), context and compositing, with macro keys (the first word of each label) and memory in {@link Prefs}; in
 * a macro, missing keys take the documented defaults. "Preview mask" overlays the denoise mask on the image while
 * the dialog is open.
 */
final class InpaintDialog {

    static final String[] CONTEXTS = {"masked", "whole"};
    static final String[] CONTENTS = {"original", "fill", "latent_noise", "latent_nothing"};
    private static final String PREFIX = "ijgenai.inpaint.";

    /** What the dialog produced. */
    record Values(String model, GenerationRequest request, InpaintSettings settings, boolean inPlace, int[] expand,
            String stepStacks) {}

    private InpaintDialog() {}

    private static boolean macro() {
        return Macro.getOptions() != null;
    }

    private static String remembered(String key, String fallback) {
        return macro() ? fallback : Prefs.get(PREFIX + key, fallback);
    }

    private static double remembered(String key, double fallback) {
        return macro() ? fallback : Prefs.get(PREFIX + key, fallback);
    }

    private static boolean remembered(String key, boolean fallback) {
        return macro() ? fallback : Prefs.get(PREFIX + key, fallback);
    }

    /**
     * Shows the dialog (or reads the macro options); null when cancelled.
     *
     * @param image the image whose selection is filled (for the mask preview), or null
     * @param selection the selection as a 0/1 mask at the image's size, or null
     * @param expand whether to ask for the sides to add (Generative Expand); {@link Values#expand()} is then
     *     {left, right, top, bottom, canvas width, canvas height}, the canvas 0 × 0 when the sides are used and
     *     −1 when it could not be read
     */
    static Values ask(String title, ImagePlus image, float[] selection, boolean expand) {
        InpaintSettings defaults = expand ? InpaintSettings.expandDefaults() : InpaintSettings.defaults();
        GenericDialog gd = new GenAiDialog(title);
        if (expand) {
            gd.addNumericField("Left (px)", remembered("left", 0), 0);
            gd.addNumericField("Right (px)", remembered("right", 32), 0);
            gd.addNumericField("Top (px)", remembered("top", 0), 0);
            gd.addNumericField("Bottom (px)", remembered("bottom", 0), 0);
            gd.addStringField("Canvas size (WxH, or 0 to use the sides)", remembered("canvas", "0"), 12);
        }
        gd.addStringField("Model folder or name", remembered("model", "shapes-sd"), 40);
        gd.addStringField("Prompt", remembered("prompt", ""), 40);
        gd.addStringField("Negative prompt", remembered("negative", ""), 40);
        StableDiffusionDialog.addEmphasis(gd, remembered("emphasis", Emphasis.ORIGINAL.label()));
        gd.addChoice("Scheduler", schedulers(), remembered("scheduler", StableDiffusionDialog.MODEL_DEFAULT));
        gd.addNumericField("Steps", remembered("steps", GenerationRequest.DEFAULT_STEPS), 0);
        gd.addNumericField("Guidance scale", remembered("guidance", GenerationRequest.DEFAULT_GUIDANCE), 1);
        gd.addNumericField("Seed (-1 = random)", -1, 0);
        gd.addNumericField("Variations", remembered("variations", 1), 0);
        gd.addNumericField("Strength (4-channel models)", remembered("strength", defaults.strength()), 2);
        gd.addChoice("Masked content (4-channel models)", CONTENTS, remembered("masked", defaults.maskedContent().key()));
        gd.addNumericField("Grow (px)", remembered("grow", defaults.grow()), 0);
        gd.addNumericField("Feather (px)", remembered("feather", defaults.feather()), 0);
        gd.addNumericField("Blend (px)", remembered("blend", defaults.blend()), 0);
        gd.addChoice("Context", CONTEXTS, remembered("context", defaults.context().key()));
        gd.addNumericField("Padding (px, masked context)", remembered("padding", defaults.padding()), 0);
        gd.addNumericField("Width (0 = model's size)", remembered("width", 0), 0);
        gd.addNumericField("Height (0 = model's size)", remembered("height", 0), 0);
        gd.addChoice("Step stacks", StableDiffusionDialog.STEP_STACKS, remembered("stacks",
                StableDiffusionDialog.STEP_STACKS[0]));
        gd.addCheckbox("Composite over the original", remembered("composite", true));
        if (!expand) {
            gd.addCheckbox("In place (Edit › Undo restores)", remembered("in", false));
            gd.addCheckbox("Preview mask", false);
        }
        gd.addHelp(HELP);
        Overlay before = image == null ? null : image.getOverlay();
        if (!expand && image != null && selection != null && !macro()) {
            gd.addDialogListener(new MaskPreview(image, selection, before));
        }
        gd.showDialog();
        if (image != null && !expand && !macro()) {
            image.setOverlay(before);
        }
        if (gd.wasCanceled()) {
            return null;
        }
        Fields f = read(gd, expand);
        int[] sides = f.sides();
        String model = f.model();
        String prompt = f.prompt();
        String negative = f.negative();
        String emphasis = f.emphasis();
        String scheduler = f.scheduler();
        int steps = f.steps();
        double guidance = f.guidance();
        long seed = f.seed();
        int variations = f.variations();
        double strength = f.strength();
        String content = f.content();
        int grow = f.grow();
        int feather = f.feather();
        int blend = f.blend();
        String context = f.context();
        int padding = f.padding();
        int width = f.width();
        int height = f.height();
        String stacks = f.stacks();
        boolean composite = f.composite();
        boolean inPlace = f.inPlace();
        if (gd.invalidNumber()) {
            throw new IllegalArgumentException("a numeric field holds something that is not a number");
        }
        if (model.isEmpty()) {
            throw new IllegalArgumentException("give a Stable Diffusion model: an ONNX folder or an installed"
                    + " model's name, e.g. shapes-sd");
        }
        if ((width > 0) != (height > 0)) {
            throw new IllegalArgumentException("give both width and height (or 0 for both: the model's size)");
        }
        InpaintSettings settings = new InpaintSettings(grow, feather, blend, InpaintSettings.Context.parse(context),
                padding, composite, MaskedContent.parse(content), strength);
        GenerationRequest request = new GenerationRequest(List.of(prompt), negative.isBlank() ? null : negative,
                seed, steps, guidance, StableDiffusionDialog.MODEL_DEFAULT.equals(scheduler) ? null : scheduler,
                width, height, variations, strength > 0 ? strength : 1.0, Emphasis.fromLabel(emphasis));
        if (inPlace && !composite) {
            throw new IllegalArgumentException("in place needs composite on: the raw output has the generated size,"
                    + " not the image's");
        }
        if (sides != null) {
            Prefs.set(PREFIX + "left", sides[0]);
            Prefs.set(PREFIX + "right", sides[1]);
            Prefs.set(PREFIX + "top", sides[2]);
            Prefs.set(PREFIX + "bottom", sides[3]);
            Prefs.set(PREFIX + "canvas", sides[4] > 0 ? sides[4] + "x" + sides[5] : "0");
        }
        Prefs.set(PREFIX + "model", model);
        Prefs.set(PREFIX + "prompt", prompt);
        Prefs.set(PREFIX + "negative", negative);
        Prefs.set(PREFIX + "emphasis", emphasis);
        Prefs.set(PREFIX + "scheduler", scheduler);
        Prefs.set(PREFIX + "steps", steps);
        Prefs.set(PREFIX + "guidance", guidance);
        Prefs.set(PREFIX + "variations", variations);
        Prefs.set(PREFIX + "strength", strength);
        Prefs.set(PREFIX + "masked", content);
        Prefs.set(PREFIX + "grow", grow);
        Prefs.set(PREFIX + "feather", feather);
        Prefs.set(PREFIX + "blend", blend);
        Prefs.set(PREFIX + "context", context);
        Prefs.set(PREFIX + "padding", padding);
        Prefs.set(PREFIX + "width", width);
        Prefs.set(PREFIX + "height", height);
        Prefs.set(PREFIX + "stacks", stacks);
        Prefs.set(PREFIX + "composite", composite);
        Prefs.set(PREFIX + "in", inPlace);
        return new Values(model, request, settings, inPlace, sides, stacks);
    }

    /** The dialog's values as read, in dialog order. */
    private record Fields(int[] sides, String model, String prompt, String negative, String emphasis,
            String scheduler, int steps,
            double guidance, long seed, int variations, double strength, String content, int grow, int feather,
            int blend, String context, int padding, int width, int height, String stacks, boolean composite,
            boolean inPlace, boolean preview) {}

    /**
     * Reads every field with {@code getNext…}, in dialog order. The mask preview's listener calls it too: ImageJ
     * records a dialog with a listener from the listener's last call, at OK.
     */
    private static Fields read(GenericDialog gd, boolean expand) {
        int[] sides = null;
        if (expand) {
            sides = new int[] {(int) gd.getNextNumber(), (int) gd.getNextNumber(), (int) gd.getNextNumber(),
                    (int) gd.getNextNumber(), 0, 0};
            String canvas = gd.getNextString().trim().toLowerCase(java.util.Locale.ROOT).replace('×', 'x');
            if (!canvas.isEmpty() && !canvas.equals("0")) {
                String[] wh = canvas.split("x");
                try {
                    sides[4] = Integer.parseInt(wh[0].trim());
                    sides[5] = Integer.parseInt(wh[1].trim());
                } catch (RuntimeException e) {
                    sides[4] = -1;
                }
            }
        }
        return new Fields(sides, gd.getNextString().trim(), gd.getNextString(), gd.getNextString(),
                gd.getNextChoice(), gd.getNextChoice(), (int) gd.getNextNumber(), gd.getNextNumber(),
                (long) gd.getNextNumber(), (int) gd.getNextNumber(), gd.getNextNumber(), gd.getNextChoice(),
                (int) gd.getNextNumber(), (int) gd.getNextNumber(), (int) gd.getNextNumber(), gd.getNextChoice(),
                (int) gd.getNextNumber(), (int) gd.getNextNumber(), (int) gd.getNextNumber(), gd.getNextChoice(),
                gd.getNextBoolean(),
                !expand && gd.getNextBoolean(), !expand && gd.getNextBoolean());
    }

    private static String[] schedulers() {
        List<String> names = new ArrayList<>();
        names.add(StableDiffusionDialog.MODEL_DEFAULT);
        names.addAll(Schedulers.NAMES);
        return names.toArray(new String[0]);
    }

    /** Overlays the denoise mask (grow and feather applied) in translucent magenta while "Preview mask" is on. */
    private static final class MaskPreview implements DialogListener {
        private final ImagePlus image;
        private final float[] selection;
        private final Overlay before;

        MaskPreview(ImagePlus image, float[] selection, Overlay before) {
            this.image = image;
            this.selection = selection;
            this.before = before;
        }

        @Override
        public boolean dialogItemChanged(GenericDialog gd, AWTEvent e) {
            Fields f = read(gd, false);
            if (!f.preview() || e == null) {
                image.setOverlay(before);
                return true;
            }
            int grow = f.grow();
            int feather = f.feather();
            if (gd.invalidNumber() || grow < 0 || feather < 0) {
                return true;
            }
            int w = image.getWidth();
            int h = image.getHeight();
            float[] denoise = SelectionMasks.of(selection, w, h, Math.min(grow, 512), Math.min(feather, 512), 0)
                    .denoise();
            int[] argb = new int[w * h];
            for (int i = 0; i < argb.length; i++) {
                int v = Math.round(Math.max(0f, Math.min(1f, denoise[i])) * 255);
                argb[i] = (v << 16) | v;
            }
            ColorProcessor cp = new ColorProcessor(w, h, argb);
            ImageRoi roi = new ImageRoi(0, 0, cp);
            // Unselected pixels (0) stay see-through; the rest shows in magenta, stronger where the mask is.
            roi.setZeroTransparent(true);
            roi.setOpacity(0.6);
            Overlay overlay = before == null ? new Overlay() : before.duplicate();
            overlay.add(roi);
            image.setOverlay(overlay);
            return true;
        }
    }

    /** The dialog's Help text. */
    static final String HELP = "<html><b>Generative Fill / Expand</b><br>"
            + "White in the mask (the selection) is repainted; outside it the image is kept, exactly where the"
            + " composite mask is 0.<br>"
            + "<b>Grow</b> dilates the selection, <b>Feather</b> softens the mask the model repaints,"
            + " <b>Blend</b> is the width of the transition when pasting back, inside the grown selection.<br>"
            + "<b>Context</b> masked: the selection's box plus padding, generated at the model's size;"
            + " whole: the whole image.<br>"
            + "<b>Strength</b> and <b>Masked content</b> apply to ordinary (4-channel) models; inpainting models"
            + " (9-channel UNet) always start from noise.<br>"
            + "<b>Emphasis</b>: how <i>(word:1.3)</i> weights act, as in Text to Image.<br>"
            + "<b>Step stacks</b>: one slice per UNet evaluation at the generated size, as in Text to Image.<br>"
            + "Esc cancels within one step. See docs/inpainting.md.</html>";
}
