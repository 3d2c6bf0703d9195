package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.ijgenai.core.attention.AttentionMapsJob;
import org.ijgenai.core.attention.DaamHeatMaps;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.InpaintSettings;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.imagej.AttentionImages;
import org.ijgenai.imagej.GeneratedImagePlus;

import ij.ImagePlus;

/**
 * {@code attention}: a generation (txt2img, img2img with {@code --init}, inpainting with {@code --init} and
 * {@code --mask}) with DAAM heat maps of the prompt's words, written as the image, the per-word 32-bit maps, the
 * per-step hyperstack and the overlays, as the Attention Maps command shows them.
 */
final class AttentionCommand implements Subcommand, Main.FlagAware {

    /** Null for the System.out current at run time, so callers can redirect it. */
    private final PrintStream fixedOut;

    AttentionCommand() {
        this(null);
    }

    AttentionCommand(PrintStream out) {
        this.fixedOut = out;
    }

    @Override
    public String name() {
        return "attention";
    }

    @Override
    public String help() {
        InpaintSettings fill = InpaintSettings.maskFileDefaults();
        return OptionHelp.lines(OptionHelp.model(), OptionHelp.prompt("what to draw; its words get the maps"),
                OptionHelp.negative(), OptionHelp.seed(0), OptionHelp.steps(), OptionHelp.cfg(),
                OptionHelp.scheduler(),
                "  --width W            txt2img: image width, a multiple of 8; inpainting: the generation width"
                        + " (default: 0, the model's size)",
                "  --height H           the same for the height (default: 0, the model's size)",
                "  --init IMAGE         img2img (or, with --mask, inpainting) of this picture instead of txt2img"
                        + " (default: none, txt2img)",
                "  --mask MASK.png      inpaint the white part of this mask (the init image's size), as inpaint does"
                        + " (default: none)",
                OptionHelp.inpaint(fill, true),
                "  --aggregate STEPS    the steps the word maps sum: all, or steps and ranges such as 1-5,9"
                        + " (default: all)",
                "  --normalize          scale each pixel's maps to sum to 1 across the words (default: off)",
                "  --lut NAME           " + String.join(", ", AttentionImages.LUTS) + ", the overlays' colours"
                        + " (default: " + AttentionImages.LUTS[0] + ")",
                "  --opacity F          the overlays' opacity, 0…1 (default: 0.6)",
                "  --out DIR            the folder for image.png, attention.tif, attention-steps.tif and"
                        + " attention-overlay.tif (required)",
                OptionHelp.threadsAndDevice(), OptionHelp.quiet());
    }

    @Override
    public String usage() {
        return "attention --model DIR|NAME --prompt TEXT [--negative TEXT] [--seed N] [--steps N] [--cfg F]"
                + " [--scheduler NAME] [--width W] [--height H] [--init IMAGE [--mask MASK.png] "
                + InpaintOptions.USAGE + "]"
                + " [--aggregate all|1-5,9] [--normalize] [--lut fire|jet|ice|spectrum] [--opacity 0.6] --out DIR"
                + " [--threads N] [--device auto|cpu|gpu]";
    }

    @Override
    public Set<String> flags() {
        return Set.of("normalize", "quiet");
    }

    @Override
    public int run(CliArgs args) throws Exception {
        PrintStream out = fixedOut != null ? fixedOut : System.out;
        String model = args.require("model");
        String prompt = args.require("prompt");
        String negative = args.get("negative", null);
        long seed = args.getLong("seed", 0);
        int steps = args.getInt("steps", GenerationRequest.DEFAULT_STEPS);
        double cfg = args.getDouble("cfg", GenerationRequest.DEFAULT_GUIDANCE);
        String scheduler = args.get("scheduler", null);
        int width = args.getInt("width", 0);
        int height = args.getInt("height", 0);
        Path init = args.getPath("init");
        Path mask = args.getPath("mask");
        if (mask != null && init == null) {
            throw new UsageException("--mask needs --init, the picture to inpaint");
        }
        InpaintSettings fill = mask == null ? null : InpaintOptions.settings(args, InpaintSettings.maskFileDefaults());
        double strength = fill != null ? fill.strength()
                : args.getDouble("strength", GenerationRequest.DEFAULT_STRENGTH);
        if (init != null && mask == null && (width > 0 || height > 0)) {
            throw new UsageException("--width and --height do not apply to img2img, which works at the init"
                    + " image's size");
        }
        if (init == null && args.has("strength")) {
            throw new UsageException("--strength needs --init (img2img) or --init and --mask (inpainting)");
        }
        String aggregate = args.get("aggregate", "all");
        boolean normalize = args.flag("normalize");
        boolean quiet = args.flag("quiet");
        String lut = args.get("lut", AttentionImages.LUTS[0]);
        double opacity = args.getDouble("opacity", 0.6);
        Path dir = args.requirePath("out");
        int threads = args.getInt("threads", 0);
        String device = args.get("device", "auto");
        args.rejectUnknown();
        if (!List.of(AttentionImages.LUTS).contains(lut)) {
            throw new UsageException("--lut must be one of " + String.join(", ", AttentionImages.LUTS) + ", was " + lut);
        }
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new UsageException("--opacity must be in [0, 1], was " + opacity);
        }
        Set<Integer> chosen;
        try {
            chosen = AttentionMapsJob.parseSteps(aggregate);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--aggregate: " + e.getMessage());
        }
        GenerationRequest request = new GenerationRequest(List.of(prompt), negative, seed, steps, cfg, scheduler,
                width, height, 1, strength > 0 ? strength : 1.0);
        ProgressListener progress = ProgressLine.of(quiet);
        AttentionMapsJob job = new AttentionMapsJob().setModel(model).setRequest(request)
                .optDevice(device).optThreads(threads)
                .optSelection(new DaamHeatMaps.Selection(chosen, Set.of(), normalize))
                .optProgress(progress);
        if (mask != null) {
            RgbImage image = ImageFiles.readRgb(init, name(), "init image");
            job.optInpaint(image, InpaintOptions.readMask(mask, image, init, name()), fill,
                    init.getFileName().toString());
        } else if (init != null) {
            job.optInitImage(ImageFiles.readInit(init));
        }
        AttentionMapsJob.Result result = job.run();
        if (!quiet) {
            System.err.println();
        }
        // Only now: a refused or failed generation leaves no empty folder behind.
        ImageFiles.createFolder(dir, "--out");
        Map<String, String> parameters = new LinkedHashMap<>(result.parameters());
        parameters.put("attention_steps", chosen.isEmpty() ? "all" : chosen.toString());
        parameters.put("attention_normalize", Boolean.toString(normalize));
        String title = GeneratedImagePlus.titleFor(List.of(prompt));
        ImageFiles.writePng(dir.resolve("image.png"), result.picture(), result.width(),
                result.height(), parameters);
        write(dir.resolve("attention.tif"), AttentionImages.wordMaps(result, title, lut), parameters);
        write(dir.resolve("attention-steps.tif"), AttentionImages.stepHyperstack(result, title, lut), parameters);
        write(dir.resolve("attention-overlay.tif"), AttentionImages.overlays(result, title, lut, opacity),
                parameters);
        StringBuilder words = new StringBuilder();
        for (var word : result.words()) {
            words.append(words.length() == 0 ? "" : " ").append(word.text());
        }
        out.printf(Locale.ROOT, "wrote %s: image.png, attention.tif (%d words: %s), attention-steps.tif"
                + " (%d steps), attention-overlay.tif · seed %d%n", dir, result.words().size(), words,
                result.steps().size(), result.generation().images().request().seed());
        return 0;
    }

    private static void write(Path file, ImagePlus imp, Map<String, String> parameters) throws java.io.IOException {
        AttentionImages.describe(imp, parameters);
        ImageFiles.writeTiff(file, imp);
    }
}
