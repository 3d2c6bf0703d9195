package org.ijgenai.imagej;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.attention.AttentionMapsJob;
import org.ijgenai.core.attention.DaamHeatMaps;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.InpaintSettings;
import org.ijgenai.core.diffusion.Schedulers;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import ij.process.ColorProcessor;

/**
 * Plugins › Generative AI › Attention Maps (Stable Diffusion)...: generates an image (from the prompt, from the
 * current image as img2img, or into the current image's selection as Generative Fill does) and shows which part
 * of it each word of the prompt attended to, DAAM's heat maps from the UNet's cross-attention: a hyperstack of the
 * maps per word (channel) and denoising step (frame), the maps over the chosen steps as 32-bit images for
 * measurement, and the maps laid over the image through a lookup table.
 *
 * <p>Macro: {@code run("Attention Maps (Stable Diffusion)...", "source=[text (txt2img)] strength=0.75
 * model=shapes-sd prompt=[a red circle on a blue background] negative=[] guidance=7.5 steps=20
 * scheduler=[model default] width=0 height=0 seed=0 aggregate=all normalize=false lut=fire opacity=0.60")}.
 */
public final class AttentionMapsCommand extends GenAiCommand implements PlugIn {

    /** The exact menu and macro name. */
    public static final String COMMAND = "Attention Maps (Stable Diffusion)...";

    private static final String TITLE = "Attention Maps (Stable Diffusion)";
    private static final String PREFS = "ijgenai.attention.";
    private static final String MODEL_DEFAULT = "model default";
    private static final double DEFAULT_OPACITY = 0.6;

    /** What the generation starts from: the prompt alone, the current image, or its selection. */
    static final String[] SOURCES = {"text (txt2img)", "current image (img2img)", "current selection (inpaint)"};

    /** The dialog's values. */
    private record Values(String model, GenerationRequest request, DaamHeatMaps.Selection selection, String lut,
            double opacity, String source, double strength) {}

    @Override
    public void run(String arg) {
        Values values;
        try {
            values = ask();
        } catch (IllegalArgumentException e) {
            reportError(TITLE, e);
            return;
        }
        if (values == null) {
            return;
        }
        try {
            AttentionMapsJob job = new AttentionMapsJob().setModel(values.model())
                    .setRequest(values.request())
                    .optUserModelDir(Prefs.get(ModelsWindow.PREF_USER_DIR, ""))
                    .optSelection(values.selection())
                    .optProgress(statusProgress(TITLE))
                    .optCancel(escapeCancels());
            boolean inpaint = values.source().equals(SOURCES[2]);
            if (!values.source().equals(SOURCES[0])) {
                ImagePlus current = WindowManager.getCurrentImage();
                if (current == null) {
                    throw new IllegalArgumentException("open the image to " + (inpaint ? "fill" : "redraw")
                            + " first (source: " + values.source() + ")");
                }
                if (inpaint) {
                    InpaintSettings d = InpaintSettings.defaults();
                    job.optInpaint(GenerativeFillCommand.rgb(current), GenerativeFillCommand.selectionMask(current),
                            new InpaintSettings(d.grow(), d.feather(), d.blend(), d.context(), d.padding(),
                                    d.composite(), d.maskedContent(), values.strength()), current.getTitle());
                } else {
                    job.optInitImage(ImageToImageCommand.initImage(current));
                }
            }
            AttentionMapsJob.Result result = job.run();
            IJ.showProgress(1.0);
            String name = GeneratedImagePlus.titleFor(result.generation().images().request().prompts());
            Map<String, String> parameters = new LinkedHashMap<>(result.parameters());
            parameters.put("attention_steps", values.selection().steps().isEmpty() ? "all"
                    : values.selection().steps().toString());
            parameters.put("attention_normalize", Boolean.toString(values.selection().normalize()));
            ImagePlus image = inpaint
                    ? new ImagePlus(name + "-filled", new ColorProcessor(result.width(), result.height(),
                            result.picture()))
                    : GeneratedImagePlus.images(result.generation().images(), name);
            GeneratedImagePlus.describe(image, parameters);
            List<ImagePlus> shown = new ArrayList<>();
            shown.add(AttentionImages.stepHyperstack(result, name, values.lut()));
            shown.add(AttentionImages.overlays(result, name, values.lut(), values.opacity()));
            shown.add(AttentionImages.wordMaps(result, name, values.lut()));
            ResultWindows.show(image);
            for (ImagePlus imp : shown) {
                AttentionImages.describe(imp, parameters);
                // The per-word 32-bit maps come last, so they are the current image for measuring in a macro.
                ResultWindows.show(imp);
            }
            IJ.showStatus(String.format(Locale.ROOT, "%s: %d words × %d steps, seed %d", TITLE,
                    result.words().size(), result.steps().size(), result.generation().images().request().seed()));
        } catch (OutOfMemoryError e) {
            reportError(TITLE, new GenAiException("out of memory; try a smaller size or fewer steps", e));
        } catch (RuntimeException e) {
            reportError(TITLE, e);
        }
    }

    private static boolean macro() {
        return Macro.getOptions() != null;
    }

    /** The dialog's Help text. */
    static final String HELP = "<html><b>Attention maps (DAAM)</b><br>Generates the image while recording the UNet's"
            + " cross-attention at every step and layer, then, per word of the prompt, sums the maps over the"
            + " chosen steps, layers and heads (each upsampled bicubically to the latent grid) as DAAM does."
            + "<br>Shows: the step hyperstack (channel = word, frame = step), the maps laid over the image, and"
            + " the 32-bit maps over the chosen steps for measuring.<br>Exports with fused attention"
            + " (ONNX Runtime's Attention ops) cannot be captured. See docs/inside-the-model.md.</html>";

    private static String remembered(String key, String fallback) {
        return macro() ? fallback : Prefs.get(PREFS + key, fallback);
    }

    private static double remembered(String key, double fallback) {
        return macro() ? fallback : Prefs.get(PREFS + key, fallback);
    }

    private static Values ask() {
        GenericDialog gd = new GenAiDialog(TITLE);
        gd.addChoice("Source", SOURCES, remembered("source", SOURCES[0]));
        gd.addNumericField("Strength (image, selection)", remembered("strength",
                GenerationRequest.DEFAULT_STRENGTH), 2);
        gd.addStringField("Model folder or name", remembered("model", "shapes-sd"), 40);
        gd.addStringField("Prompt", remembered("prompt", "a red circle on a blue background"), 40);
        gd.addStringField("Negative prompt", remembered("negative", ""), 40);
        gd.addNumericField("Guidance scale", remembered("guidance", GenerationRequest.DEFAULT_GUIDANCE), 1);
        gd.addNumericField("Steps", remembered("steps", GenerationRequest.DEFAULT_STEPS), 0);
        List<String> schedulers = new ArrayList<>();
        schedulers.add(MODEL_DEFAULT);
        schedulers.addAll(Schedulers.NAMES);
        gd.addChoice("Scheduler", schedulers.toArray(new String[0]), remembered("scheduler", MODEL_DEFAULT));
        gd.addNumericField("Width (0 = model's size)", remembered("width", 0), 0);
        gd.addNumericField("Height (0 = model's size)", remembered("height", 0), 0);
        gd.addNumericField("Seed (-1 = random)", remembered("seed", 0), 0);
        gd.addStringField("Aggregate steps (all, or e.g. 1-5,9)", remembered("aggregate", "all"), 12);
        gd.addCheckbox("Normalize across words", macro() ? false : Prefs.get(PREFS + "normalize", false));
        gd.addChoice("LUT", AttentionImages.LUTS, remembered("lut", AttentionImages.LUTS[0]));
        gd.addSlider("Opacity", 0, 1, remembered("opacity", DEFAULT_OPACITY), 0.05);
        gd.addHelp(HELP);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return null;
        }
        String source = gd.getNextChoice();
        double strength = gd.getNextNumber();
        String model = gd.getNextString().trim();
        String prompt = gd.getNextString();
        String negative = gd.getNextString();
        double guidance = gd.getNextNumber();
        int steps = (int) gd.getNextNumber();
        String scheduler = gd.getNextChoice();
        int width = (int) gd.getNextNumber();
        int height = (int) gd.getNextNumber();
        long seed = (long) gd.getNextNumber();
        String aggregate = gd.getNextString();
        boolean normalize = gd.getNextBoolean();
        String lut = gd.getNextChoice();
        double opacity = gd.getNextNumber();
        if (gd.invalidNumber()) {
            throw new IllegalArgumentException("a numeric field holds something that is not a number");
        }
        if (model.isEmpty()) {
            throw new IllegalArgumentException("give a Stable Diffusion model: an ONNX folder or an installed name");
        }
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity must be in [0, 1], was " + opacity);
        }
        Set<Integer> chosen = AttentionMapsJob.parseSteps(aggregate);
        GenerationRequest request = new GenerationRequest(List.of(prompt), negative.isBlank() ? null : negative,
                seed, steps, guidance, MODEL_DEFAULT.equals(scheduler) ? null : scheduler, width, height, 1,
                strength > 0 && strength <= 1 ? strength : GenerationRequest.DEFAULT_STRENGTH);
        if (!(strength >= 0 && strength <= 1) || (strength == 0 && !source.equals(SOURCES[2]))) {
            throw new IllegalArgumentException("strength must be in (0, 1], was " + strength);
        }
        if (!macro()) {
            Prefs.set(PREFS + "source", source);
            Prefs.set(PREFS + "strength", strength);
            Prefs.set(PREFS + "model", model);
            Prefs.set(PREFS + "prompt", prompt);
            Prefs.set(PREFS + "negative", negative);
            Prefs.set(PREFS + "guidance", guidance);
            Prefs.set(PREFS + "steps", steps);
            Prefs.set(PREFS + "scheduler", scheduler);
            Prefs.set(PREFS + "width", width);
            Prefs.set(PREFS + "height", height);
            Prefs.set(PREFS + "seed", seed);
            Prefs.set(PREFS + "aggregate", aggregate);
            Prefs.set(PREFS + "normalize", normalize);
            Prefs.set(PREFS + "lut", lut);
            Prefs.set(PREFS + "opacity", opacity);
        }
        return new Values(model, request, new DaamHeatMaps.Selection(chosen, Set.of(), normalize), lut, opacity,
                source, strength);
    }
}
