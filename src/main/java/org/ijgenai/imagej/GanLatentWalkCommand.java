package org.ijgenai.imagej;

import java.util.List;

import org.ijgenai.core.gan.GanDescriptor;
import org.ijgenai.core.gan.GanLatentWalk;
import org.ijgenai.core.gan.GanWalkRequest;
import org.ijgenai.core.gan.Interpolation;
import org.ijgenai.core.gan.LatentPaths;
import org.ijgenai.core.onnx.ExecutionDevice;
import org.ijgenai.core.progress.ProgressListener;

import ij.IJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.plugin.PlugIn;

/**
 * Plugins › Generative AI › GAN Latent Walk...: shows that a GAN's noise vector z is a space one can walk in, as an
 * RGB stack of the generator's pictures along a slerp or straight line through the z's of several seeds, or along
 * single-coordinate sweeps of one z, with a labelled montage beside it.
 *
 * <p>Macro: {@code run("GAN Latent Walk...", "model=shapes-gan mode=walk seeds=1,2,3 frames=9 interpolation=slerp
 * montage")} or {@code run("GAN Latent Walk...", "model=shapes-gan mode=sweep sweep_seed=0 coordinates=0-7 range=3
 * steps=7 montage")}. The stack is the current image afterwards.
 */
public final class GanLatentWalkCommand extends GenAiCommand implements PlugIn {

    /** The exact menu and macro name. */
    public static final String COMMAND = "GAN Latent Walk...";

    private static final String TITLE = "GAN Latent Walk";
    private static final String PREFS = "ijgenai.ganwalk.";
    private static final String DEFAULT_MODEL = "shapes-gan";
    private static final String DEFAULT_SEEDS = "1,2,3";

    @Override
    public void run(String arg) {
        boolean macro = isMacro();
        GenAiDialog gd = new GenAiDialog(TITLE);
        // Macros get the built-in defaults for omitted keys, so a macro means the same on every machine.
        gd.addStringField("Model folder or name", macro ? DEFAULT_MODEL : Prefs.get(PREFS + "model", DEFAULT_MODEL),
                30);
        gd.addChoice("Mode", new String[] {"walk", "sweep"}, macro ? "walk" : Prefs.get(PREFS + "mode", "walk"));
        gd.addMessage("Walk: from the z of each seed to the next");
        gd.addStringField("Seeds", macro ? DEFAULT_SEEDS : Prefs.get(PREFS + "seeds", DEFAULT_SEEDS), 20);
        gd.addNumericField("Frames per segment (ends included)", macro ? GanWalkRequest.DEFAULT_FRAMES
                : Prefs.get(PREFS + "frames", GanWalkRequest.DEFAULT_FRAMES), 0);
        gd.addChoice("Interpolation", new String[] {"slerp", "linear"},
                macro ? "slerp" : Prefs.get(PREFS + "interpolation", "slerp"));
        gd.addMessage("Sweep: one coordinate of z at a time, from z[i] - range to z[i] + range");
        gd.addNumericField("Sweep_seed", macro ? 0 : Prefs.get(PREFS + "sweepSeed", 0), 0);
        gd.addStringField("Coordinates", macro ? GanWalkRequest.DEFAULT_COORDINATES
                : Prefs.get(PREFS + "coordinates", GanWalkRequest.DEFAULT_COORDINATES), 12);
        gd.addNumericField("Range", macro ? GanWalkRequest.DEFAULT_RANGE
                : Prefs.get(PREFS + "range", GanWalkRequest.DEFAULT_RANGE), 2);
        gd.addNumericField("Steps", macro ? GanWalkRequest.DEFAULT_STEPS
                : Prefs.get(PREFS + "steps", GanWalkRequest.DEFAULT_STEPS), 0);
        gd.addCheckbox("Montage", macro || Prefs.get(PREFS + "montage", true));
        gd.addHelp("<html><b>GAN latent walk</b><br>A GAN generator turns a noise vector z into a picture. The z of"
                + " a seed is numpy's RandomState(seed).randn(z length). <i>Walk</i> shows the pictures along a slerp"
                + " (or straight line) from one seed's z to the next; <i>sweep</i> changes one coordinate of z at a"
                + " time. See docs/inside-the-model.md.</html>");
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String model = gd.getNextString().trim();
        String mode = gd.getNextChoice();
        String seeds = gd.getNextString();
        double frames = gd.getNextNumber();
        String interpolation = gd.getNextChoice();
        double sweepSeed = gd.getNextNumber();
        String coordinates = gd.getNextString();
        double range = gd.getNextNumber();
        double steps = gd.getNextNumber();
        boolean montage = gd.getNextBoolean();
        try {
            GanWalkRequest.Mode m = GanWalkRequest.Mode.parse(mode);
            GanWalkRequest request = new GanWalkRequest(m, m == GanWalkRequest.Mode.WALK
                    ? LatentPaths.parseSeeds(seeds) : List.of(), (int) Math.min(Integer.MAX_VALUE, whole("frames", frames)),
                    Interpolation.parse(interpolation), whole("sweep_seed", sweepSeed), coordinates, range,
                    (int) Math.min(Integer.MAX_VALUE, whole("steps", steps)));
            GanDescriptor descriptor = GanDescriptor.locate(model, Prefs.get(ModelsWindow.PREF_USER_DIR, ""));
            if (!macro) {
                Prefs.set(PREFS + "model", model);
                Prefs.set(PREFS + "mode", mode);
                Prefs.set(PREFS + "seeds", seeds);
                Prefs.set(PREFS + "frames", frames);
                Prefs.set(PREFS + "interpolation", interpolation);
                Prefs.set(PREFS + "sweepSeed", sweepSeed);
                Prefs.set(PREFS + "coordinates", coordinates);
                Prefs.set(PREFS + "range", range);
                Prefs.set(PREFS + "steps", steps);
                Prefs.set(PREFS + "montage", montage);
            }
            ProgressListener progress = (done, total, message) -> {
                IJ.showProgress(done, total);
                IJ.showStatus(TITLE + ": " + message);
            };
            GanLatentWalk walk = GanLatentWalk.run(descriptor, request, ExecutionDevice.choose("cpu").settings(0),
                    progress, escapeCancels());
            String title = titleFor(descriptor, request);
            if (montage) {
                GanWalkImages.montage(walk, title + " montage").show();
            }
            ImagePlus stack = GanWalkImages.stack(walk, title);
            stack.show();
            IJ.showStatus(TITLE + ": " + walk.frames().size() + " pictures of " + walk.pictures().width() + "×"
                    + walk.pictures().height());
        } catch (RuntimeException e) {
            reportError(TITLE, e);
        }
    }

    /** "shapes-gan walk 1,2,3 (slerp)" or "shapes-gan sweep seed 0". */
    public static String titleFor(GanDescriptor descriptor, GanWalkRequest request) {
        String name = descriptor.model().getParent() != null && descriptor.model().getFileName().toString()
                .equals("model.onnx") ? descriptor.model().getParent().getFileName().toString() : descriptor.name();
        if (request.mode() == GanWalkRequest.Mode.SWEEP) {
            return name + " sweep seed " + request.seed();
        }
        StringBuilder seeds = new StringBuilder();
        for (long s : request.seeds()) {
            seeds.append(seeds.length() == 0 ? "" : ",").append(s);
        }
        return name + " walk " + seeds + " (" + request.interpolation().id() + ")";
    }

    private static long whole(String name, double value) {
        if (value != Math.rint(value) || Math.abs(value) > 1e15) {
            throw new IllegalArgumentException(name + " must be a whole number, was " + value);
        }
        return (long) value;
    }
}
