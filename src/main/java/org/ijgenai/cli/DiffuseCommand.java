package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.io.Opener;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.noise.ForwardDiffusionRequest;
import org.ijgenai.core.noise.TimestepSelection;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.noise.BetaSchedule;
import org.ijgenai.core.noise.NoiseSchedule;
import org.ijgenai.imagej.ForwardDiffusionImages;
import org.ijgenai.imagej.SchedulePlot;

/**
 * {@code ij-genai diffuse}: the forward-diffusion stack of an image file, written as a TIFF stack with labelled
 * slices, and optionally the schedule plot as PNG; the same computation as the {@code Forward Diffusion...}
 * command.
 */
final class DiffuseCommand implements Subcommand, Main.FlagAware {


    @Override
    public String name() {
        return "diffuse";
    }

    @Override
    public String help() {
        return String.join("\n",
                "  --image FILE         any image ImageJ opens (required)",
                "  --out STACK.tif      the noised frames, 32-bit for 16/32-bit input (required)",
                "  --schedule NAME      linear, scaled_linear, squaredcos_cap_v2 or sigmoid (default: linear)",
                "  --beta-start F       β at t=0 (default: " + ForwardDiffusionRequest.DEFAULT_BETA_START + ")",
                "  --beta-end F         β at t=T-1 (default: " + ForwardDiffusionRequest.DEFAULT_BETA_END + ")",
                "  --timesteps T        training timesteps (default: " + ForwardDiffusionRequest.DEFAULT_TRAIN_TIMESTEPS
                        + ")",
                "  --frames N           evenly spaced frames (default: " + ForwardDiffusionRequest.DEFAULT_FRAMES + ")",
                "  --t LIST             explicit timesteps, e.g. 0,250,500,999, instead of --frames (default: none)",
                "  --seed N             numpy RandomState seed of the noise (default: "
                        + ForwardDiffusionRequest.DEFAULT_SEED + ")",
                "  --slice N            the slice of a stack to use (default: 1)",
                "  --plot FILE.png      also write the noise-schedule plot (default: none)",
                "  --compare-all        plot all four schedules") + "\n";
    }

    @Override
    public String usage() {
        return "diffuse --image FILE --schedule linear|scaled_linear|squaredcos_cap_v2|sigmoid"
                + " [--beta-start F --beta-end F --timesteps T] (--frames N | --t 0,250,500,999) [--seed S]"
                + " [--slice K] --out STACK.tif [--plot PLOT.png [--compare-all]]";
    }

    @Override
    public Set<String> flags() {
        return Set.of("compare-all");
    }

    @Override
    public int run(CliArgs args) {
        // The stream current at run time, so that tests and callers can redirect System.out.
        PrintStream out = System.out;
        Path imagePath = args.requirePath("image");
        Path outPath = args.requirePath("out");
        Path plotPath = args.getPath("plot");
        boolean compareAll = args.flag("compare-all");
        ForwardDiffusionRequest request = request(args);
        int slice = args.getInt("slice", 1);
        args.rejectUnknown();
        new OutputPaths().input("--image", imagePath).output("--out", outPath).output("--plot", plotPath).check();

        // Every frame is a 32-bit copy of the image, plus the input and the noise field.
        ImageFiles.requireFitsInMemory(imagePath, 4.0 * (request.timesteps().length + 2),
                "diffuse with " + request.timesteps().length + " frames");
        ImagePlus image = open(imagePath);
        if (slice < 1 || slice > image.getStackSize()) {
            throw new UsageException("--slice must lie in 1…" + image.getStackSize() + " for " + imagePath
                    + ", was " + slice);
        }
        image.setSliceWithoutUpdate(slice);
        ImagePlus frames = ForwardDiffusionImages.diffuse(image, image.getProcessor(), request,
                CancellationToken.NONE, ProgressListener.NONE);
        save(frames, outPath, "tif");
        NoiseSchedule schedule = request.noiseSchedule();
        out.println("wrote " + outPath + ": " + frames.getStackSize() + " frames, " + frames.getWidth() + "x"
                + frames.getHeight() + ", " + frames.getBitDepth() + "-bit, schedule "
                + request.schedule().configName() + ", seed " + request.seed());
        for (int t : request.timesteps()) {
            out.println(String.format(Locale.ROOT, "  t=%-5d alpha_bar=%.6f  SNR=%.4g", t, schedule.alphaCumprod(t),
                    schedule.snr(t)));
        }
        if (plotPath != null) {
            ImagePlus plot = SchedulePlot.create(request.schedule(), request.betaStart(), request.betaEnd(),
                    request.numTrainTimesteps(), compareAll);
            save(plot, plotPath, "png");
            out.println("wrote " + plotPath + " (" + plot.getTitle() + ")");
        }
        return 0;
    }

    /** The request from {@code --schedule --beta-start --beta-end --timesteps --frames --t --seed}. */
    static ForwardDiffusionRequest request(CliArgs args) {
        BetaSchedule schedule;
        try {
            schedule = BetaSchedule.fromConfigName(args.get("schedule", "linear"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--schedule: " + e.getMessage());
        }
        if (args.has("frames") && args.has("t")) {
            throw new UsageException("give either --frames N or --t LIST, not both");
        }
        TimestepSelection selection = args.has("t") ? TimestepSelection.parseList(args.get("t", ""))
                : TimestepSelection.evenlySpaced(args.getInt("frames", ForwardDiffusionRequest.DEFAULT_FRAMES));
        return new ForwardDiffusionRequest(schedule,
                args.getDouble("beta-start", ForwardDiffusionRequest.DEFAULT_BETA_START),
                args.getDouble("beta-end", ForwardDiffusionRequest.DEFAULT_BETA_END),
                args.getInt("timesteps", ForwardDiffusionRequest.DEFAULT_TRAIN_TIMESTEPS), selection,
                args.getLong("seed", ForwardDiffusionRequest.DEFAULT_SEED));
    }

    /** Opens an image file with ImageJ's opener, with a message that names the file when it cannot. */
    static ImagePlus open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new GenAiException("no image file at " + path.toAbsolutePath());
        }
        ImagePlus image = new Opener().openImage(path.toAbsolutePath().toString());
        if (image == null) {
            throw new GenAiException("cannot read " + path + " as an image (ImageJ opens TIFF, PNG, JPEG, GIF,"
                    + " BMP, PGM, FITS and DICOM)");
        }
        return image;
    }

    /** Saves as TIFF or PNG (by {@code format}, whatever the name), creating the parent folder, atomically. */
    static void save(ImagePlus image, Path path, String format) {
        if ("png".equals(format)) {
            ImageFiles.savePng(image, path);
        } else {
            ImageFiles.writeTiff(path, image);
        }
    }
}
