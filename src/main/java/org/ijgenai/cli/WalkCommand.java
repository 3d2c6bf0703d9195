package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ij.ImagePlus;
import ij.ImageStack;
import ij.plugin.filter.AVI_Writer;
import ij.process.ColorProcessor;

import org.ijgenai.core.AtomicFiles;
import org.ijgenai.core.diffusion.GeneratedImages;
import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.SeedWalk;
import org.ijgenai.imagej.GeneratedImagePlus;

/**
 * {@code walk}: a latent walk between seeds (slerp of the initial noise), one txt2img per frame, written as a
 * stack whose slice labels give the position, and optionally as an AVI through ImageJ's own writer.
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
    public String help() {
        return OptionHelp.lines(OptionHelp.model(), OptionHelp.prompt("what to draw in every frame"),
                "  --seeds S1,S2[,…]    the seeds the walk passes through, in order, at least two (required)",
                "  --frames N           frames from one seed to the next, the first included (default: 8)",
                OptionHelp.negative(), OptionHelp.steps(), OptionHelp.cfg(), OptionHelp.scheduler(),
                OptionHelp.size(),
                "  --out STACK.tif      the frames as one RGB stack, positions as slice labels (required)",
                "  --avi FILE.avi       also the frames as a PNG-compressed AVI (default: none)",
                "  --fps F              frames per second of the stack and the AVI (default: 8)",
                OptionHelp.quiet());
    }

    @Override
    public String usage() {
        return "walk --model DIR|NAME --prompt TEXT --seeds S1,S2[,…] [--frames N] [--negative TEXT] [--steps N]"
                + " [--cfg F] [--scheduler NAME] [--width W] [--height H] --out STACK.tif [--avi FILE.avi] [--fps F]";
    }

    @Override
    public Set<String> flags() {
        return Set.of("quiet");
    }

    @Override
    public int run(CliArgs args) throws Exception {
        PrintStream out = fixedOut != null ? fixedOut : System.out;
        String model = args.require("model");
        String prompt = args.require("prompt");
        List<Long> seeds = new ArrayList<>();
        for (String s : args.require("seeds").split(",")) {
            try {
                seeds.add(Long.parseLong(s.strip()));
            } catch (NumberFormatException e) {
                throw new UsageException("--seeds: '" + s + "' is not a seed (give integers such as 1,2,3)");
            }
        }
        int frames = args.getInt("frames", 8);
        String negative = args.get("negative", null);
        int steps = args.getInt("steps", GenerationRequest.DEFAULT_STEPS);
        double cfg = args.getDouble("cfg", GenerationRequest.DEFAULT_GUIDANCE);
        String scheduler = args.get("scheduler", null);
        int width = args.getInt("width", 0);
        int height = args.getInt("height", 0);
        Path output = args.requirePath("out");
        Path avi = args.getPath("avi");
        double fps = args.getDouble("fps", 8);
        boolean quiet = args.flag("quiet");
        String seedList = args.require("seeds");
        args.rejectUnknown();
        if (!ImageFiles.isTiff(output)) {
            throw new UsageException("--out must end in .tif, was " + output);
        }
        if (avi != null && !avi.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".avi")) {
            throw new UsageException("--avi must end in .avi, was " + avi);
        }
        new OutputPaths().output("--out", output).output("--avi", avi).check();
        List<SeedWalk> walk;
        try {
            walk = SeedWalk.frames(seeds, frames);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        ImageStack stack = null;
        Map<String, String> parameters = null;
        for (int i = 0; i < walk.size(); i++) {
            SeedWalk frame = walk.get(i);
            GenerationRequest request = new GenerationRequest(List.of(prompt), negative, frame.from(), steps, cfg,
                    scheduler, width, height, 1, GenerationRequest.DEFAULT_STRENGTH);
            GenerationJob.Result job = new GenerationJob().setModel(model).setRequest(request)
                    .optLatentStart(sd -> frame)
                    .optWarnings(w -> System.err.println("ij-genai walk: warning: " + w))
                    .run();
            GeneratedImages images = job.images();
            if (stack == null) {
                stack = new ImageStack(images.width(), images.height());
                parameters = new LinkedHashMap<>(job.parameters());
                parameters.remove("seed");
                parameters.remove("walk");
                parameters.put("walk", "slerp of the initial noise through seeds " + seedList + ", "
                        + frames + " frames per segment");
            }
            stack.addSlice((i + 1) + ": " + frame.label(),
                    new ColorProcessor(images.width(), images.height(), images.rgb(0)));
            if (!quiet) {
                System.err.printf("\r[%d/%d] %s", i + 1, walk.size(), frame.label());
            }
        }
        ImagePlus imp = new ImagePlus("walk " + GeneratedImagePlus.titleFor(List.of(prompt)), stack);
        GeneratedImagePlus.describe(imp, parameters);
        imp.getCalibration().fps = fps;
        ImageFiles.writeTiff(output, imp);
        out.println("\nwrote " + output + " (" + walk.size() + " frames)");
        if (avi != null) {
            AtomicFiles.write(avi, temporary -> new AVI_Writer().writeImage(imp, temporary.toString(),
                    AVI_Writer.PNG_COMPRESSION, 90));
            out.println("wrote " + avi);
        }
        return 0;
    }
}
