package org.ijgenai.imagej;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.LatentWalk;
import org.ijgenai.core.progress.CancellationToken;

import ij.IJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

/**
 * Plugins › Generative AI › Latent Walk...: text to image along a walk through two or more seeds (the initial noise
 * slerped from each seed to the next), two or more prompts (their text embeddings interpolated linearly), or both
 * in step, run by the core's {@link LatentWalk} as the CLI's {@code walk} runs it, into a stack whose slice labels
 * give the position, and optionally an AVI through ImageJ's own writer. Each keyframe is exactly the plain Text to
 * Image picture of its seed and prompt.
 */
public final class LatentWalkCommand extends GenAiCommand implements PlugIn {

    private static final String TITLE = "Latent Walk";
    private static final String PREFIX = "ijgenai.walk.";
    private static final GenerationFields FIELDS = new GenerationFields(PREFIX);

    private static final String HELP = "<html><b>Latent Walk</b><br>"
            + "<b>Prompt</b>: one prompt, or two or more separated by <b>|</b> (a red circle | a yellow square) to"
            + " walk between their text embeddings (linear interpolation). A | inside brackets, as in A1111's"
            + " [cat|dog], belongs to the prompt.<br>"
            + "<b>Seeds</b>: two or more, comma-separated (1,2,3), to walk between their initial noise: slerp(noise(a),"
            + " noise(b), t), linear when the two are nearly parallel. With several prompts give one seed (kept for"
            + " the whole walk), one seed per prompt (both move in step), or none (one random seed, recorded).<br>"
            + "Between each keyframe and the next, <b>frames per segment</b> positions t = k/N; the last frame is the"
            + " last keyframe. t = 0 frames are exactly Text to Image with that seed and prompt.<br>"
            + "Nearby positions give nearby pictures: latent space is continuous.<br>"
            + "<b>AVI</b>: a file to write the walk to as a movie (empty: none) at <b>fps</b> frames per"
            + " second.<br>Esc cancels. See docs/stable-diffusion.md.</html>";

    /** The dialog's values. */
    record Values(String model, GenerationRequest base, List<Long> seeds, List<String> prompts, int frames,
            String avi, double fps) {}

    @Override
    public void run(String arg) {
        LatentWalk walk;
        Values values;
        try {
            values = ask();
            if (values == null) {
                return;
            }
            walk = walk(values);
            walk.frames();
        } catch (IllegalArgumentException | GenAiException e) {
            reportError(TITLE, e);
            return;
        }
        run(values, walk);
    }

    /** The walk of the dialog's values, not yet run. */
    static LatentWalk walk(Values values) {
        return new LatentWalk().setModel(values.model()).setRequest(values.base()).optSeeds(values.seeds())
                .optPrompts(values.prompts()).optFramesPerSegment(values.frames())
                .optUserModelDir(Prefs.get(ModelsWindow.PREF_USER_DIR, ""))
                .optWarnings(warning -> IJ.log(TITLE + ": " + warning));
    }

    /** Generates every frame and shows the stack (and writes the AVI); null when failed or cancelled. */
    static ImagePlus run(Values values, LatentWalk walk) {
        CancellationToken cancel = escapeCancels();
        try {
            int[] frame = {0, 1};
            String[] label = {""};
            walk.optCancel(cancel)
                    .optProgress((done, total, message) -> {
                        frame[0] = done;
                        frame[1] = total;
                        label[0] = message;
                        IJ.showProgress(done, total);
                    })
                    .optStepProgress((done, total, message) -> {
                        IJ.showProgress(frame[0] * total + done, frame[1] * total);
                        IJ.showStatus(String.format(Locale.ROOT, "%s: %s · %s (Esc cancels)", TITLE, label[0],
                                message));
                    });
            LatentWalk.Result result = walk.run();
            IJ.showProgress(1.0);
            String title = "walk " + GeneratedImagePlus.titleFor(values.base().prompts());
            ImagePlus imp = SweepImages.walkStack(result, title);
            imp.getCalibration().fps = values.fps();
            int frames = result.frames().size();
            if (!values.avi().isEmpty()) {
                SweepImages.writeAvi(imp, Path.of(values.avi()));
                IJ.log(TITLE + ": wrote " + values.avi() + " (" + frames + " frames, " + values.fps() + " fps)");
            }
            imp.show();
            IJ.showStatus(TITLE + ": " + frames + " frames");
            return imp;
        } catch (OutOfMemoryError e) {
            reportError(TITLE, new GenAiException("Out of memory; try fewer frames or a smaller size", e));
            return null;
        } catch (RuntimeException e) {
            reportError(TITLE, e);
            return null;
        }
    }

    /** Shows the dialog (or reads the macro options); null when cancelled. */
    static Values ask() {
        GenericDialog gd = new GenAiDialog(TITLE);
        FIELDS.add(gd, "Prompt (walk: two or more, separated by |)");
        gd.addStringField("Seeds (comma-separated; with several prompts one, one each, or none)",
                FIELDS.remembered("seeds", GenerationFields.macro() ? "" : "1,2"), 30);
        gd.addNumericField("Frames per segment", FIELDS.remembered("frames", LatentWalk.DEFAULT_FRAMES), 0);
        gd.addStringField("AVI file (empty = none)", FIELDS.remembered("avi", ""), 40);
        gd.addNumericField("Fps", FIELDS.remembered("fps", 8), 1);
        gd.addHelp(HELP);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return null;
        }
        GenerationFields.Values fields = FIELDS.read(gd);
        String seedList = gd.getNextString().trim();
        int frames = (int) gd.getNextNumber();
        String avi = gd.getNextString().trim();
        double fps = gd.getNextNumber();
        if (gd.invalidNumber()) {
            throw new IllegalArgumentException("a numeric field holds something that is not a number");
        }
        if (!(fps > 0 && fps <= 120)) {
            throw new IllegalArgumentException("fps must be in (0, 120], was " + fps);
        }
        if (!avi.isEmpty() && !avi.toLowerCase(Locale.ROOT).endsWith(".avi")) {
            throw new IllegalArgumentException("avi must name a file ending in .avi (or be empty), was " + avi);
        }
        List<String> prompts = LatentWalk.splitPrompts(fields.prompt());
        List<Long> seeds = seeds(seedList);
        if (prompts.size() < 2 && seeds.size() < 2) {
            throw new IllegalArgumentException("a walk needs two or more seeds (seeds=1,2) or two or more prompts"
                    + " separated by | (prompt=[a red circle|a yellow square]), got " + seeds.size() + " seed"
                    + (seeds.size() == 1 ? "" : "s") + " and one prompt");
        }
        GenerationRequest base = fields.request(seeds.isEmpty() ? -1 : seeds.get(0),
                GenerationRequest.DEFAULT_STRENGTH, false).withPrompts(List.of(prompts.get(0)));
        FIELDS.remember("seeds", seedList);
        FIELDS.remember("avi", avi);
        Prefs.set(PREFIX + "frames", frames);
        Prefs.set(PREFIX + "fps", fps);
        return new Values(fields.model(), base, seeds, prompts.size() > 1 ? prompts : List.of(), frames, avi, fps);
    }

    /** The seeds field: whole numbers separated by commas, or nothing. */
    private static List<Long> seeds(String list) {
        List<Long> seeds = new ArrayList<>();
        if (list.isEmpty()) {
            return seeds;
        }
        for (String s : list.split(",")) {
            long seed;
            try {
                seed = Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("seeds: '" + s.strip() + "' is not a seed; give whole numbers"
                        + " separated by commas, such as 1,2,3");
            }
            if (seed < 0 || seed > GenerationRequest.MAX_SEED) {
                throw new IllegalArgumentException("seeds: " + seed + " is out of range; a walk's seeds are in [0, "
                        + GenerationRequest.MAX_SEED + "] (leave seeds empty for one random seed)");
            }
            seeds.add(seed);
        }
        return seeds;
    }
}
