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
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.imagej.AttentionImages;
import org.ijgenai.imagej.GeneratedImagePlus;

import ij.ImagePlus;

/**
 * {@code attention}: a generation with DAAM heat maps of the prompt's words, written as the generated image, the
 * per-word 32-bit maps, the per-step hyperstack and the overlays, as the Attention Maps command shows them.
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
        return OptionHelp.lines(OptionHelp.model(), OptionHelp.prompt("what to draw; its words get the maps"),
                OptionHelp.negative(), OptionHelp.seed(0), OptionHelp.steps(), OptionHelp.cfg(),
                OptionHelp.scheduler(), OptionHelp.size(),
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
                + " [--scheduler NAME] [--width W] [--height H] [--aggregate all|1-5,9] [--normalize]"
                + " [--lut fire|jet|ice|spectrum] [--opacity 0.6] --out DIR [--threads N] [--device auto|cpu|gpu]";
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
                width, height, 1, GenerationRequest.DEFAULT_STRENGTH);
        ProgressListener progress = quiet ? ProgressListener.NONE
                : (done, total, message) -> System.err.printf(Locale.ROOT, "\r[%d/%d] %-60s", done + 1, total,
                        message);
        AttentionMapsJob.Result result = new AttentionMapsJob().setModel(model).setRequest(request)
                .optDevice(device).optThreads(threads)
                .optSelection(new DaamHeatMaps.Selection(chosen, Set.of(), normalize))
                .optProgress(progress).run();
        if (!quiet) {
            System.err.println();
        }
        // Only now: a refused or failed generation leaves no empty folder behind.
        ImageFiles.createFolder(dir, "--out");
        Map<String, String> parameters = new LinkedHashMap<>(result.generation().parameters());
        parameters.put("attention_steps", chosen.isEmpty() ? "all" : chosen.toString());
        parameters.put("attention_normalize", Boolean.toString(normalize));
        String title = GeneratedImagePlus.titleFor(List.of(prompt));
        ImageFiles.writePng(dir.resolve("image.png"), result.generation().images().rgb(0), result.width(),
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
