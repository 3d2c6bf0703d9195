package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.ijgenai.core.catalog.ModelLocator;
import org.ijgenai.core.diffusion.A1111Parameters;
import org.ijgenai.core.diffusion.GeneratedImages;
import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.text.Emphasis;
import org.ijgenai.core.diffusion.InitImage;
import org.ijgenai.core.diffusion.ModelFolder;
import org.ijgenai.core.diffusion.ModelHash;
import org.ijgenai.core.diffusion.StepRecorder;
import org.ijgenai.core.diffusion.StoredParameters;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.imagej.GeneratedImagePlus;

import ij.ImagePlus;

/**
 * {@code txt2img} and {@code img2img}: Stable Diffusion from the command line, writing PNGs with every generation
 * parameter in text chunks (or an RGB TIFF stack) and, on request, the step stacks.
 */
final class GenerateCommand implements Subcommand, Main.FlagAware {

    private final boolean img2img;
    /** Null for the System.out current at run time, so callers can redirect it. */
    private final PrintStream fixedOut;
    private PrintStream out;

    GenerateCommand(boolean img2img) {
        this(img2img, null);
    }

    GenerateCommand(boolean img2img, PrintStream out) {
        this.img2img = img2img;
        this.fixedOut = out;
    }

    @Override
    public String name() {
        return img2img ? "img2img" : "txt2img";
    }

    @Override
    public String help() {
        return OptionHelp.lines(OptionHelp.model(),
                OptionHelp.prompt("what to draw, \"\" for nothing in particular; repeat for several prompts"),
                OptionHelp.negative(), OptionHelp.seed(-1), OptionHelp.steps(), OptionHelp.cfgOrGuidance(),
                OptionHelp.scheduler(),
                img2img ? "  --init FILE          the picture to redraw: PNG, JPEG, BMP, GIF or TIFF, 8-bit or RGB"
                        + " (required)" : OptionHelp.size(),
                img2img ? "  --strength F         how much to change it, 0…1 (default: "
                        + GenerationRequest.DEFAULT_STRENGTH + ")" : null,
                "  --batch N            images per prompt (default: 1)",
                "  --out FILE           FILE.png (one PNG per image, numbered when several, parameters in text chunks)"
                        + " or FILE.tif (one stack) (required)",
                "  --steps-out FILE     also write every denoising step as STACK.tif and STACK-x0.tif (default: none)",
                "  --steps-preview      record the steps with the cheap latent preview instead of the VAE",
                "  --from FILE.png      take every parameter not given from a PNG this command wrote",
                OptionHelp.threadsAndDevice(), OptionHelp.timestepSpacing(), OptionHelp.secondPrompts(),
                OptionHelp.emphasis(), OptionHelp.quiet());
    }

    @Override
    public String usage() {
        return name() + " --model DIR|NAME --prompt TEXT [--prompt TEXT …] [--negative TEXT] [--seed N] [--steps N]"
                + " [--cfg|--guidance F] [--scheduler pndm|ddim|euler|euler_a|lms|dpmpp_2m|dpmpp_2m_karras|lcm]"
                + " [--timestep-spacing leading|linspace|trailing] [--prompt-2 TEXT] [--negative-2 TEXT]"
                + (img2img ? " --init FILE [--strength F]" : " [--width W] [--height H]")
                + " [--batch N] [--emphasis Original|No norm|Comfy|Ignore|None] --out FILE.png|FILE.tif [--steps-out STACK.tif [--steps-preview]]"
                + " [--from RESULT.png] [--threads N] [--device auto|cpu|gpu|gpu:N]";
    }

    @Override
    public Set<String> flags() {
        return Set.of("steps-preview", "quiet");
    }

    @Override
    public int run(CliArgs args) throws Exception {
        out = fixedOut != null ? fixedOut : System.out;
        Path fromFile = args.getPath("from");
        Map<String, String> from = fromFile != null ? fromPng(fromFile) : Map.of();
        String modelArg = args.get("model", from.get("model_path"));
        if (modelArg == null) {
            throw new UsageException("missing required option --model");
        }
        List<String> prompts = new ArrayList<>(args.all("prompt"));
        if (prompts.isEmpty()) {
            prompts = StoredParameters.prompts(from);
        }
        if (prompts.isEmpty()) {
            throw new UsageException("missing required option --prompt (--prompt \"\" for an empty prompt)");
        }
        // --negative absent means no negative prompt; --negative "" is the empty text. SDXL tells them apart
        // (zero embeddings vs "" encoded), so a replay keeps what the original run did.
        String negative = args.get("negative", StoredParameters.negative(from));
        String prompt2 = args.get("prompt-2", from.get("prompt_2"));
        String negative2 = args.get("negative-2", from.get("negative_2"));
        String spacing = args.get("timestep-spacing", from.get("timestep_spacing"));
        long seed = args.getLong("seed", Long.parseLong(from.getOrDefault("seed", "-1")));
        if (args.has("cfg") && args.has("guidance")) {
            throw new UsageException("give --cfg or --guidance (the same option), not both");
        }
        String cfgKey = args.has("guidance") ? "guidance" : "cfg";
        String stepsGiven = args.get("steps", from.get("steps"));
        String cfgGiven = args.get(cfgKey, from.get("guidance"));
        ModelFolder defaults = stepsGiven == null || cfgGiven == null || fromFile != null
                ? ModelFolder.open(ModelLocator.resolve(modelArg, null)) : null;
        if (fromFile != null) {
            String mismatch = ModelHash.shared().replayWarning(fromFile.getFileName().toString(), from, defaults,
                    ProgressLine.of(args.flag("quiet")), CancellationToken.NONE);
            if (mismatch != null) {
                System.err.println("ij-genai " + name() + ": warning: " + mismatch);
            }
        }
        int steps = args.getInt("steps", stepsGiven != null ? Integer.parseInt(stepsGiven) : defaults.defaultSteps());
        double cfg = args.getDouble(cfgKey, cfgGiven != null ? Double.parseDouble(cfgGiven)
                : defaults.defaultGuidance());
        String scheduler = args.get("scheduler", emptyToNull(from.get("scheduler")));
        int width = img2img ? 0 : args.getInt("width", Integer.parseInt(from.getOrDefault("width", "0")));
        int height = img2img ? 0 : args.getInt("height", Integer.parseInt(from.getOrDefault("height", "0")));
        int batch = args.getInt("batch", Integer.parseInt(from.getOrDefault("images_per_prompt", "1")));
        double strength = img2img ? args.getDouble("strength", Double.parseDouble(from.getOrDefault("strength",
                Double.toString(GenerationRequest.DEFAULT_STRENGTH)))) : GenerationRequest.DEFAULT_STRENGTH;
        Path init = img2img ? args.requirePath("init") : null;
        Path output = args.requirePath("out");
        Path stepsOut = args.getPath("steps-out");
        boolean preview = args.flag("steps-preview");
        boolean quiet = args.flag("quiet");
        int threads = args.getInt("threads", 0);
        String deviceName = args.get("device", "auto");
        Emphasis emphasis;
        try {
            emphasis = Emphasis.fromLabel(args.get("emphasis", from.getOrDefault("emphasis",
                    Emphasis.ORIGINAL.label())));
        } catch (GenAiException e) {
            throw new UsageException("--emphasis: " + e.getMessage());
        }
        args.rejectUnknown();
        if (!ImageFiles.isPng(output) && !ImageFiles.isTiff(output)) {
            throw new UsageException("--out must end in .png or .tif, was " + output);
        }
        if (stepsOut != null && !ImageFiles.isTiff(stepsOut)) {
            throw new UsageException("--steps-out must end in .tif, was " + stepsOut);
        }
        GenerationRequest request = new GenerationRequest(prompts, negative, seed, steps, cfg, scheduler, width,
                height, batch, strength, emphasis, prompt2, negative2, spacing);
        new OutputPaths().input("--init", init).input("--from", fromFile).images(output, prompts.size() * batch)
                .steps(stepsOut).check();
        InitImage initImage = init != null ? ImageFiles.readInit(init) : null;
        ProgressListener progress = ProgressLine.of(quiet);
        GenerationJob.Result job = new GenerationJob().setModel(modelArg).setRequest(request)
                .optInitImage(initImage)
                .optDevice(deviceName)
                .optThreads(threads)
                .optStepRecording(stepsOut == null ? GenerationJob.StepRecording.NONE
                        : preview ? GenerationJob.StepRecording.PREVIEW : GenerationJob.StepRecording.DECODED)
                .optWarnings(warning -> System.err.println("ij-genai " + name() + ": warning: " + warning))
                .optProgress(progress)
                .run();
        if (!quiet) {
            System.err.println();
        }
        GeneratedImages result = job.images();
        Map<String, String> parameters = new LinkedHashMap<>(job.parameters());
        parameters.put("parameters", A1111Parameters.format(parameters));
        writeImages(result, output, parameters);
        StepRecorder recorder = job.steps();
        if (recorder != null && !recorder.labels().isEmpty()) {
            ImagePlus[] stacks = GeneratedImagePlus.stepStacks(recorder, output.getFileName().toString(),
                    parameters);
            ImageFiles.writeTiff(stepsOut, stacks[0]);
            Path x0 = ImageFiles.suffixed(stepsOut, "-x0");
            ImageFiles.writeTiff(x0, stacks[1]);
            out.println("wrote " + stepsOut + " and " + x0 + " (" + recorder.labels().size()
                    + " UNet evaluations)");
        }
        out.printf(Locale.ROOT, "seed %d · %s · %d×%d · %d steps · %.1f s%n", result.request().seed(),
                result.request().scheduler(), result.width(), result.height(), result.request().steps(),
                result.seconds());
        return 0;
    }

    private void writeImages(GeneratedImages result, Path output, Map<String, String> parameters)
            throws java.io.IOException {
        if (ImageFiles.isTiff(output)) {
            ImagePlus imp = GeneratedImagePlus.images(result, GeneratedImagePlus.titleFor(result.request().prompts()));
            GeneratedImagePlus.describe(imp, parameters);
            ImageFiles.writeTiff(output, imp);
            out.println("wrote " + output + (result.count() > 1 ? " (" + result.count() + " slices)" : ""));
            return;
        }
        for (int i = 0; i < result.count(); i++) {
            Path file = result.count() > 1 ? ImageFiles.numbered(output, i + 1) : output;
            Map<String, String> text = new LinkedHashMap<>(parameters);
            if (result.count() > 1) {
                text.put("index", Integer.toString(i + 1));
            }
            ImageFiles.writePng(file, result.rgb(i), result.width(), result.height(), text);
            out.println("wrote " + file);
        }
    }

    /**
     * The parameters stored in a PNG: this project's own text chunks, or else those of an A1111-style
     * {@code parameters} chunk, naming the fields that are not used.
     */
    private Map<String, String> fromPng(Path file) throws java.io.IOException {
        StoredParameters.Read read = StoredParameters.fromPngText(ImageFiles.readPngText(file));
        if (!read.ignored().isEmpty()) {
            out.println(file.getFileName() + ": ignoring " + String.join(", ", read.ignored()));
        }
        return read.values();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
