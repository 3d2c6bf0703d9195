package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.InpaintJob;
import org.ijgenai.core.diffusion.InpaintSettings;
import org.ijgenai.core.diffusion.SelectionMasks;
import org.ijgenai.core.diffusion.StepRecorder;
import org.ijgenai.core.image.CanvasExtension;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.imagej.GeneratedImagePlus;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;

/**
 * {@code inpaint} and {@code expand}: Generative Fill of a white-on-black mask, and outpainting of an enlarged
 * canvas, from the command line, through {@link InpaintJob}.
 */
final class InpaintCommand implements Subcommand, Main.FlagAware {

    private final boolean expand;
    private final PrintStream fixedOut;

    InpaintCommand(boolean expand) {
        this(expand, null);
    }

    InpaintCommand(boolean expand, PrintStream out) {
        this.expand = expand;
        this.fixedOut = out;
    }

    @Override
    public String name() {
        return expand ? "expand" : "inpaint";
    }

    @Override
    public String help() {
        InpaintSettings d = expand ? InpaintSettings.expandDefaults() : InpaintSettings.maskFileDefaults();
        String sides = expand ? String.join("\n",
                "  --left PX            pixels to add on the left (default: 0)",
                "  --right PX           pixels to add on the right (default: 0)",
                "  --top PX             pixels to add at the top (default: 0)",
                "  --bottom PX          pixels to add at the bottom (default: 0)")
                : "  --mask MASK.png      white = repaint, black = keep, the init image's size (required)";
        return OptionHelp.lines(OptionHelp.model(),
                "  --init IMAGE         the picture to " + (expand ? "extend" : "repaint") + ": PNG, JPEG, BMP, GIF"
                        + " or TIFF, 8-bit or RGB (required)",
                sides,
                "  --prompt TEXT        what to paint into the " + (expand ? "new border" : "mask")
                        + "; repeat for several prompts (default: \"\", the surroundings alone)",
                OptionHelp.negative(), OptionHelp.seed(-1), OptionHelp.steps(), OptionHelp.cfg(),
                OptionHelp.scheduler(),
                "  --width W            generated width, with --height (default: 0, the model's size)",
                "  --height H           generated height, with --width (default: 0, the model's size)",
                "  --batch N            images per prompt (default: 1)",
                OptionHelp.inpaint(d, false),
                "  --out FILE           FILE.png (numbered when several) or FILE.tif (one stack) (required)",
                "  --steps-out FILE     also every denoising step as STACK.tif and STACK-x0.tif (default: none)",
                OptionHelp.threadsAndDevice(), OptionHelp.quiet());
    }

    @Override
    public String usage() {
        return name() + " --model DIR|NAME --init IMAGE " + (expand ? "[--left PX] [--right PX] [--top PX] [--bottom PX]"
                : "--mask MASK.png") + " [--prompt TEXT] [--negative TEXT] [--seed N] [--steps N] [--cfg F]"
                + " [--scheduler NAME] [--width W --height H] [--batch N] " + InpaintOptions.USAGE
                + " --out FILE.png|FILE.tif"
                + " [--steps-out STACK.tif] [--threads N] [--device auto|cpu|gpu|gpu:N]";
    }

    @Override
    public Set<String> flags() {
        return Set.of("quiet");
    }

    @Override
    public int run(CliArgs args) throws Exception {
        PrintStream out = fixedOut != null ? fixedOut : System.out;
        String model = args.require("model");
        Path init = args.requirePath("init");
        Path maskFile = expand ? null : args.requirePath("mask");
        int left = expand ? args.getInt("left", 0) : 0;
        int right = expand ? args.getInt("right", 0) : 0;
        int top = expand ? args.getInt("top", 0) : 0;
        int bottom = expand ? args.getInt("bottom", 0) : 0;
        List<String> prompts = args.all("prompt");
        if (prompts.isEmpty()) {
            // No prompt is common in a fill ("remove this": let the surroundings decide); it is encoded as "".
            prompts = List.of("");
        }
        String negative = args.get("negative", null);
        long seed = args.getLong("seed", -1);
        int steps = args.getInt("steps", GenerationRequest.DEFAULT_STEPS);
        double cfg = args.getDouble("cfg", GenerationRequest.DEFAULT_GUIDANCE);
        String scheduler = args.get("scheduler", null);
        int width = args.getInt("width", 0);
        int height = args.getInt("height", 0);
        int batch = args.getInt("batch", 1);
        InpaintSettings defaults = expand ? InpaintSettings.expandDefaults() : InpaintSettings.maskFileDefaults();
        InpaintSettings settings = InpaintOptions.settings(args, defaults);
        double strength = settings.strength();
        Path output = args.requirePath("out");
        Path stepsOut = args.getPath("steps-out");
        boolean quiet = args.flag("quiet");
        int threads = args.getInt("threads", 0);
        String device = args.get("device", "auto");
        args.rejectUnknown();
        if (!ImageFiles.isPng(output) && !ImageFiles.isTiff(output)) {
            throw new UsageException("--out must end in .png or .tif, was " + output);
        }
        if (stepsOut != null && !ImageFiles.isTiff(stepsOut)) {
            throw new UsageException("--steps-out must end in .tif, was " + stepsOut);
        }
        if ((width > 0) != (height > 0)) {
            throw new UsageException("give --width and --height together");
        }
        new OutputPaths().input("--init", init).input("--mask", maskFile).images(output, prompts.size() * batch)
                .steps(stepsOut).check();
        GenerationRequest request = new GenerationRequest(prompts, negative, seed, steps, cfg, scheduler, width,
                height, batch, strength > 0 ? strength : 1.0);

        RgbImage image = ImageFiles.readRgb(init, name(), "init image");
        float[] mask;
        if (expand) {
            CanvasExtension canvas = CanvasExtension.extend(image, left, right, top, bottom);
            image = canvas.image();
            mask = SelectionMasks.fromGrey(canvas.mask());
        } else {
            mask = InpaintOptions.readMask(maskFile, image, init, name());
        }
        ProgressListener progress = ProgressLine.of(quiet);
        InpaintJob.Result result = new InpaintJob().setModel(model).setRequest(request).setImage(image, mask)
                .optSource(init.getFileName().toString()).optSettings(settings).optDevice(device)
                .optThreads(threads)
                .optStepRecording(stepsOut == null ? GenerationJob.StepRecording.NONE
                        : GenerationJob.StepRecording.DECODED)
                .optWarnings(note -> System.err.println("ij-genai " + name() + ": " + note))
                .optProgress(progress).run();
        if (!quiet) {
            System.err.println();
        }
        Map<String, String> parameters = new LinkedHashMap<>(result.parameters());
        if (expand) {
            parameters.put("expand", "left " + left + ", right " + right + ", top " + top + ", bottom " + bottom);
        }
        write(result.images(), output, parameters, out);
        StepRecorder recorder = result.generation() == null ? null : result.generation().steps();
        if (recorder != null && !recorder.labels().isEmpty()) {
            ImagePlus[] stacks = GeneratedImagePlus.stepStacks(recorder, output.getFileName().toString(),
                    parameters);
            ImageFiles.writeTiff(stepsOut, stacks[0]);
            Path x0 = ImageFiles.suffixed(stepsOut, "-x0");
            ImageFiles.writeTiff(x0, stacks[1]);
            out.println("wrote " + stepsOut + " and " + x0 + " (" + recorder.labels().size()
                    + " UNet evaluations)");
        }
        if (result.generation() != null) {
            var g = result.generation().images();
            out.printf(Locale.ROOT, "seed %d · %s · generated %d×%d · %d steps · %.1f s%n", g.request().seed(),
                    g.request().scheduler(), g.width(), g.height(), g.request().steps(), g.seconds());
        }
        return 0;
    }

    private static void write(List<RgbImage> images, Path output, Map<String, String> parameters, PrintStream out)
            throws java.io.IOException {
        if (ImageFiles.isTiff(output)) {
            RgbImage first = images.get(0);
            ImageStack stack = new ImageStack(first.width(), first.height());
            String seed = parameters.getOrDefault("seed", "");
            for (int i = 0; i < images.size(); i++) {
                stack.addSlice((i + 1) + ": seed " + seed + " · image " + (i + 1),
                        new ColorProcessor(first.width(), first.height(), images.get(i).packed()));
            }
            ImagePlus imp = new ImagePlus(output.getFileName().toString(), stack);
            GeneratedImagePlus.describe(imp, parameters);
            ImageFiles.writeTiff(output, imp);
            out.println("wrote " + output + (images.size() > 1 ? " (" + images.size() + " slices)" : ""));
            return;
        }
        for (int i = 0; i < images.size(); i++) {
            Path file = images.size() > 1 ? ImageFiles.numbered(output, i + 1) : output;
            Map<String, String> text = new LinkedHashMap<>(parameters);
            if (images.size() > 1) {
                text.put("index", Integer.toString(i + 1));
            }
            RgbImage image = images.get(i);
            ImageFiles.writePng(file, image.packed(), image.width(), image.height(), text);
            out.println("wrote " + file);
        }
    }
}
