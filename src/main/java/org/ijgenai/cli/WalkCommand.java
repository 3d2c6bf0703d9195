package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import ij.ImagePlus;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.LatentWalk;
import org.ijgenai.imagej.GeneratedImagePlus;
import org.ijgenai.imagej.SweepImages;

/**
 * {@code walk}: a latent walk between seeds (slerp of the initial noise), prompts (linear interpolation of the text
 * embeddings) or both, one txt2img per frame through {@link LatentWalk}, written as a stack whose slice labels give
 * the position, and optionally as an AVI through ImageJ's own writer.
 */
final class WalkCommand implements Subcommand, Main.FlagAware {

    /** Null for the System.out current at run time, so callers can redirect it. */
    private final PrintStream fixedOut;

    WalkCommand() {
        this(null);
    }

    WalkCommand(PrintStream out) {
        this.fixedOut = out;
    }

    @Override
    public String name() {
        return "walk";
    }

    @Override
    public String usage() {
        return "walk --model DIR|NAME --prompt TEXT [--prompt TEXT …] [--seeds S1,S2[,…] | --seed N] [--frames N] "
                + GenerationOptions.USAGE + " --out STACK.tif [--avi FILE.avi] [--fps F]";
    }

    @Override
    public String help() {
        return String.join("\n",
                OptionHelp.model(),
                "  --prompt TEXT        what to draw (required); give it two or more times to walk between the"
                        + " prompts' text embeddings (linear interpolation)",
                "  --seeds S1,S2[,…]    walk between these seeds' initial noise (slerp); with several prompts, one"
                        + " seed per prompt (default: none, one seed)",
                "  --seed N             the one seed of a walk between prompts (default: -1, a random seed,"
                        + " recorded)",
                "  --frames N           frames from each keyframe towards the next; the last keyframe is one more"
                        + " (default: " + LatentWalk.DEFAULT_FRAMES + ", at most " + LatentWalk.MAX_FRAMES
                        + " frames in all)",
                "  --out FILE           the frames as a TIFF stack whose slice labels give the position (required)",
                "  --avi FILE           also write the frames as an AVI, through ImageJ's writer (default: none)",
                "  --fps F              the AVI's and the stack's frame rate (default: 8)") + "\n"
                + OptionHelp.generation();
    }

    @Override
    public Set<String> flags() {
        return Set.of("quiet");
    }

    @Override
    public int run(CliArgs args) throws Exception {
        PrintStream out = fixedOut != null ? fixedOut : System.out;
        String model = args.require("model");
        List<String> prompts = args.all("prompt");
        if (prompts.isEmpty()) {
            throw new UsageException("missing required option --prompt");
        }
        List<Long> seeds = new ArrayList<>();
        if (args.has("seeds")) {
            for (String s : args.require("seeds").split(",")) {
                try {
                    seeds.add(Long.parseLong(s.strip()));
                } catch (NumberFormatException e) {
                    throw new UsageException("--seeds: '" + s + "' is not a seed (give integers such as 1,2,3)");
                }
            }
        }
        if (args.has("seeds") && args.has("seed")) {
            throw new UsageException("give --seeds S1,S2 to walk between seeds or --seed N to keep one, not both");
        }
        int frames = args.getInt("frames", LatentWalk.DEFAULT_FRAMES);
        GenerationRequest base = GenerationOptions.request(args, List.of(prompts.get(0)),
                seeds.isEmpty() ? args.getLong("seed", -1) : seeds.get(0), GenerationRequest.DEFAULT_STRENGTH);
        String device = GenerationOptions.device(args);
        int threads = GenerationOptions.threads(args);
        Path output = args.requirePath("out");
        Path avi = args.getPath("avi");
        double fps = args.getDouble("fps", 8);
        boolean quiet = args.flag("quiet");
        args.rejectUnknown();
        if (!ImageFiles.isTiff(output)) {
            throw new UsageException("--out must end in .tif, was " + output);
        }
        if (avi != null && !avi.toString().toLowerCase(Locale.ROOT).endsWith(".avi")) {
            throw new UsageException("--avi must end in .avi, was " + avi);
        }
        if (!(fps > 0 && fps <= 1000)) {
            throw new UsageException("--fps must be in (0, 1000], was " + fps);
        }
        new OutputPaths().output("--out", output).output("--avi", avi).check();
        LatentWalk walk = new LatentWalk().setModel(model).setRequest(base).optSeeds(seeds).optPrompts(prompts)
                .optFramesPerSegment(frames).optDevice(device).optThreads(threads)
                .optWarnings(w -> System.err.println("ij-genai walk: warning: " + w))
                .optProgress(ProgressLine.of(quiet));
        try {
            walk.frames();
        } catch (GenAiException e) {
            throw new UsageException(e.getMessage());
        }
        LatentWalk.Result result = walk.run();
        ImagePlus imp = SweepImages.walkStack(result, "walk " + GeneratedImagePlus.titleFor(List.of(prompts.get(0))));
        imp.getCalibration().fps = fps;
        ImageFiles.writeTiff(output, imp);
        out.println((quiet ? "" : "\n") + "wrote " + output + " (" + result.frames().size() + " frames)");
        if (avi != null) {
            SweepImages.writeAvi(imp, avi);
            out.println("wrote " + avi);
        }
        return 0;
    }
}
