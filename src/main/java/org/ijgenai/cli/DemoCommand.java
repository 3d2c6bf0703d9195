package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

import ij.ImagePlus;
import ij.ImageStack;
import ij.plugin.MontageMaker;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.ForwardDiffusionRequest;
import org.ijgenai.core.diffusion.TimestepSelection;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.schedule.BetaSchedule;
import org.ijgenai.imagej.ForwardDiffusionImages;
import org.ijgenai.imagej.SchedulePlot;

/**
 * {@code ij-genai demo}: the main job on the bundled defaults, with no model needed: the forward-diffusion stack
 * of a bundled sample image, a montage of it and the plot of the four noise schedules.
 */
final class DemoCommand implements Subcommand {

    /** The bundled sample the demo starts from. */
    static final String SAMPLE = "astronaut.png";


    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String usage() {
        return "demo [--out DIR] [--image FILE]   (default DIR: demo-output/, default image: samples/" + SAMPLE + ")";
    }

    @Override
    public int run(CliArgs args) {
        // The stream current at run time, so that tests and callers can redirect System.out.
        PrintStream out = System.out;
        Path outDir = Paths.get(args.get("out", "demo-output"));
        Path imagePath = args.has("image") ? args.getPath("image") : samplesDir().resolve(SAMPLE);
        args.rejectUnknown();
        long start = System.nanoTime();

        ImagePlus image = DiffuseCommand.open(imagePath);
        ForwardDiffusionRequest request = new ForwardDiffusionRequest(BetaSchedule.LINEAR,
                ForwardDiffusionRequest.DEFAULT_BETA_START, ForwardDiffusionRequest.DEFAULT_BETA_END,
                ForwardDiffusionRequest.DEFAULT_TRAIN_TIMESTEPS, TimestepSelection.evenlySpaced(8),
                ForwardDiffusionRequest.DEFAULT_SEED);
        ImagePlus frames = ForwardDiffusionImages.diffuse(image, image.getProcessor(), request,
                CancellationToken.NONE, ProgressListener.NONE);
        Path stack = outDir.resolve("forward-diffusion.tif");
        DiffuseCommand.save(frames, stack, "tif");
        Path montage = outDir.resolve("forward-diffusion-montage.png");
        DiffuseCommand.save(montage(frames), montage, "png");
        Path plot = outDir.resolve("noise-schedules.png");
        DiffuseCommand.save(SchedulePlot.create(request.schedule(), request.betaStart(), request.betaEnd(),
                request.numTrainTimesteps(), true), plot, "png");

        out.println("ij-genai demo: forward diffusion of " + imagePath + " (linear schedule, T=1000, seed 42)");
        out.println("  " + stack + "  (" + frames.getStackSize() + " labelled frames; open it in ImageJ)");
        out.println("  " + montage);
        out.println("  " + plot + "  (beta_t, alpha_bar_t and log-SNR of all four schedules)");
        out.println(String.format(Locale.ROOT, "done in %.1f s", (System.nanoTime() - start) / 1e9));
        return 0;
    }

    /** The frames side by side with their timestep labels, for viewing without ImageJ. */
    private static ImagePlus montage(ImagePlus frames) {
        ImageStack stack = frames.getStack().duplicate();
        int columns = Math.min(4, stack.getSize());
        int rows = (stack.getSize() + columns - 1) / columns;
        double scale = Math.min(1.0, 256.0 / Math.max(frames.getWidth(), frames.getHeight()));
        ImagePlus labelled = new ImagePlus(frames.getTitle(), stack);
        for (int i = 1; i <= stack.getSize(); i++) {
            String label = stack.getSliceLabel(i);
            stack.setSliceLabel(label.substring(0, label.indexOf(' ')), i);
        }
        ImagePlus montage = new MontageMaker().makeMontage2(labelled, columns, rows, scale, 1, stack.getSize(), 1,
                2, true);
        return montage;
    }

    /**
     * The bundled samples: {@code samples/} under the launcher's home ({@code -Dijgenai.home}, set by
     * {@code bin/ij-genai}) or the working directory.
     */
    static Path samplesDir() {
        String home = System.getProperty("ijgenai.home");
        Path base = home == null ? Paths.get("") : Paths.get(home);
        Path samples = base.resolve("samples");
        if (!Files.isDirectory(samples)) {
            throw new GenAiException("the bundled samples are not at " + samples.toAbsolutePath()
                    + "; pass --image FILE");
        }
        return samples;
    }
}
