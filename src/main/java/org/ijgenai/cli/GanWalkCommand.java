package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;

import org.ijgenai.core.gan.GanDescriptor;
import org.ijgenai.core.gan.GanGenerator;
import org.ijgenai.core.gan.GanLatentWalk;
import org.ijgenai.core.gan.GanWalkRequest;
import org.ijgenai.core.gan.Interpolation;
import org.ijgenai.core.gan.LatentPaths;
import org.ijgenai.core.onnx.ExecutionDevice;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.imagej.GanLatentWalkCommand;
import org.ijgenai.imagej.GanWalkImages;

/**
 * {@code gan-walk}: a GAN generator's pictures along a walk through the z's of seeds, or along single-coordinate
 * sweeps of one z, written as a labelled stack and optionally as a labelled montage PNG, as GAN Latent Walk shows
 * them.
 */
final class GanWalkCommand implements Subcommand {

    /** Null for the System.out current at run time, so callers can redirect it. */
    private final PrintStream fixedOut;

    GanWalkCommand() {
        this(null);
    }

    GanWalkCommand(PrintStream out) {
        this.fixedOut = out;
    }

    @Override
    public String name() {
        return "gan-walk";
    }

    @Override
    public String usage() {
        return "gan-walk [--model DIR|FILE.onnx|NAME] [--mode walk|sweep] [--seeds S1,S2,…] [--frames N]"
                + " [--interpolation slerp|linear] [--seed S] [--coordinates LIST] [--range R] [--steps N]"
                + " --out STACK.tif [--montage FILE.png] [--threads N]";
    }

    @Override
    public String help() {
        return String.join("\n",
                "  --model DIR|FILE.onnx|NAME  a GAN generator: an installed model's name, a folder with gan.json or"
                        + " an .onnx file (default: shapes-gan)",
                "  --mode walk|sweep    walk from the z of each seed to the next, or sweep single coordinates of"
                        + " one z (default: walk)",
                "  --seeds S1,S2,…      walk: the seeds whose z's (numpy RandomState(seed).randn) the walk goes"
                        + " through (default: 1,2)",
                "  --frames N           walk: pictures per segment, both ends included, at least 2 (default: "
                        + GanWalkRequest.DEFAULT_FRAMES + ")",
                "  --interpolation slerp|linear  walk: along the great circle or the straight line (default: slerp)",
                "  --seed S             sweep: the seed of the z the sweeps are centred on (default: 0)",
                "  --coordinates LIST   sweep: the coordinates of z to sweep, e.g. 0-7 or 3,10,42 (default: "
                        + GanWalkRequest.DEFAULT_COORDINATES + ")",
                "  --range R            sweep: each coordinate goes from z[i] - R to z[i] + R (default: "
                        + (int) GanWalkRequest.DEFAULT_RANGE + ")",
                "  --steps N            sweep: values per coordinate, at least 2 (default: "
                        + GanWalkRequest.DEFAULT_STEPS + ")",
                "  --out STACK.tif      the pictures as an RGB stack with slice labels (required)",
                "  --montage FILE.png   also a labelled montage: one row per segment or coordinate (default: none)",
                "  --threads N          ONNX Runtime threads, 0 for all cores (default: 0)") + "\n";
    }

    @Override
    public int run(CliArgs args) throws Exception {
        PrintStream out = fixedOut != null ? fixedOut : System.out;
        String model = args.get("model", "shapes-gan");
        String mode = args.get("mode", "walk");
        String seeds = args.get("seeds", "1,2");
        int frames = args.getInt("frames", GanWalkRequest.DEFAULT_FRAMES);
        String interpolation = args.get("interpolation", "slerp");
        long seed = args.getLong("seed", 0);
        String coordinates = args.get("coordinates", GanWalkRequest.DEFAULT_COORDINATES);
        double range = args.getDouble("range", GanWalkRequest.DEFAULT_RANGE);
        int steps = args.getInt("steps", GanWalkRequest.DEFAULT_STEPS);
        Path output = args.requirePath("out");
        Path montage = args.getPath("montage");
        int threads = args.getInt("threads", 0);
        args.rejectUnknown();
        if (!ImageFiles.isTiff(output)) {
            throw new UsageException("--out must end in .tif, was " + output);
        }
        if (montage != null && !ImageFiles.isPng(montage)) {
            throw new UsageException("--montage must end in .png, was " + montage);
        }
        GanWalkRequest request;
        try {
            GanWalkRequest.Mode m = GanWalkRequest.Mode.parse(mode);
            request = new GanWalkRequest(m, m == GanWalkRequest.Mode.WALK ? LatentPaths.parseSeeds(seeds)
                    : List.of(), frames, Interpolation.parse(interpolation), seed, coordinates, range, steps);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        GanDescriptor descriptor = GanDescriptor.locate(model, null);
        try (GanGenerator generator = GanGenerator.open(descriptor,
                ExecutionDevice.choose("cpu").settings(threads))) {
            if (request.mode() == GanWalkRequest.Mode.SWEEP) {
                try {
                    LatentPaths.parseCoordinates(coordinates, generator.zDim());
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--coordinates: " + e.getMessage() + " (" + descriptor.name()
                            + "'s z has " + generator.zDim() + " entries)");
                }
            }
            GanLatentWalk walk = GanLatentWalk.run(generator, request, ProgressListener.NONE,
                    CancellationToken.NONE);
            String title = GanLatentWalkCommand.titleFor(descriptor, request);
            ImageFiles.writeTiff(output, GanWalkImages.stack(walk, title));
            out.println(String.format(Locale.ROOT, "wrote %s (%d pictures of %d×%d, z of %d entries)", output,
                    walk.frames().size(), walk.pictures().width(), walk.pictures().height(), generator.zDim()));
            if (montage != null) {
                ImagePlus m = GanWalkImages.montage(walk, title + " montage");
                ImageFiles.writePng(montage, (int[]) m.getProcessor().getPixels(), m.getWidth(), m.getHeight(),
                        walk.parameters());
                out.println("wrote " + montage);
            }
        }
        return 0;
    }
}
