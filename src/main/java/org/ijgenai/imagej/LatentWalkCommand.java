package org.ijgenai.imagej;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ijgenai.core.AtomicFiles;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.GeneratedImages;
import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.SeedWalk;
import org.ijgenai.core.progress.CancellationToken;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.Prefs;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import ij.plugin.filter.AVI_Writer;
import ij.process.ColorProcessor;

/**
 * Plugins › Generative AI › Latent Walk...: text to image along a walk through two or more seeds, the initial
 * noise interpolated spherically (slerp) from each seed to the next ({@link SeedWalk}, as the CLI's {@code walk}),
 * into a stack whose slice labels give the position, and optionally an AVI through ImageJ's own writer. The first
 * frame of each segment is exactly the plain Text to Image picture of its seed.
 */
public final class LatentWalkCommand extends GenAiCommand implements PlugIn {

    private static final String TITLE = "Latent Walk";
    private static final String PREFIX = "ijgenai.walk.";
    private static final GenerationFields FIELDS = new GenerationFields(PREFIX);

    private static final String HELP = "<html><b>Latent Walk</b><br>"
            + "<b>Seeds</b>: two or more, comma-separated (1,2,3). Between each seed and the next, <b>frames per"
            + " segment</b> positions t = k/N start from slerp(noise(a), noise(b), t) (linear when the two are"
            + " nearly parallel); the last frame is the last seed. t = 0 frames are exactly Text to Image with that"
            + " seed.<br>"
            + "Nearby positions give nearby pictures: latent space is continuous.<br>"
            + "<b>AVI</b>: a file to write the walk to as a movie (empty: none) at <b>fps</b> frames per"
            + " second.<br>Esc cancels. See docs/stable-diffusion.md.</html>";

    /** The dialog's values. */
    record Values(String model, GenerationRequest base, List<Long> seeds, int frames, String avi, double fps) {}

    @Override
    public void run(String arg) {
        Values values;
        List<SeedWalk> walk;
        try {
            values = ask();
            if (values == null) {
                return;
            }
            walk = SeedWalk.frames(values.seeds(), values.frames());
        } catch (IllegalArgumentException | GenAiException e) {
            reportError(TITLE, e);
            return;
        }
        run(values, walk);
    }

    /** Generates every frame and shows the stack (and writes the AVI); null when failed or cancelled. */
    static ImagePlus run(Values values, List<SeedWalk> walk) {
        CancellationToken cancel = escapeCancels();
        try {
            ImageStack stack = null;
            Map<String, String> parameters = null;
            for (int i = 0; i < walk.size(); i++) {
                SeedWalk frame = walk.get(i);
                int index = i;
                GenerationJob.Result job = new GenerationJob().setModel(values.model())
                        .setRequest(values.base().withSeed(frame.from()))
                        .optUserModelDir(Prefs.get(ModelsWindow.PREF_USER_DIR, ""))
                        .optLatentStart(sd -> frame)
                        .optWarnings(warning -> IJ.log(TITLE + ": " + warning))
                        .optProgress((done, total, message) -> {
                            IJ.showProgress(index * total + done, walk.size() * total);
                            IJ.showStatus(String.format(Locale.ROOT, "%s: frame %d/%d · %s · %s (Esc cancels)",
                                    TITLE, index + 1, walk.size(), frame.label(), message));
                        })
                        .optCancel(cancel)
                        .run();
                GeneratedImages images = job.images();
                if (stack == null) {
                    stack = new ImageStack(images.width(), images.height());
                    parameters = walkParameters(job.parameters(), values);
                }
                stack.addSlice((i + 1) + ": " + frame.label(), new ColorProcessor(images.width(), images.height(),
                        images.rgb(0)));
            }
            IJ.showProgress(1.0);
            ImagePlus imp = new ImagePlus("walk " + GeneratedImagePlus.titleFor(values.base().prompts()), stack);
            GeneratedImagePlus.describe(imp, parameters);
            imp.getCalibration().fps = values.fps();
            if (!values.avi().isEmpty()) {
                writeAvi(imp, Path.of(values.avi()));
                IJ.log(TITLE + ": wrote " + values.avi() + " (" + walk.size() + " frames, " + values.fps()
                        + " fps)");
            }
            imp.show();
            IJ.showStatus(TITLE + ": " + walk.size() + " frames");
            return imp;
        } catch (OutOfMemoryError e) {
            reportError(TITLE, new GenAiException("Out of memory; try fewer frames or a smaller size", e));
            return null;
        } catch (RuntimeException e) {
            reportError(TITLE, e);
            return null;
        }
    }

    /** The first frame's parameters with the walk in place of its seed. */
    private static Map<String, String> walkParameters(Map<String, String> first, Values values) {
        Map<String, String> parameters = new LinkedHashMap<>(first);
        parameters.remove("seed");
        parameters.remove("walk");
        List<String> seeds = new ArrayList<>();
        for (long s : values.seeds()) {
            seeds.add(Long.toString(s));
        }
        parameters.put("walk", "slerp of the initial noise through seeds " + String.join(",", seeds) + ", "
                + values.frames() + " frames per segment");
        return parameters;
    }

    /** Writes the stack as an AVI with ImageJ's writer (PNG-compressed frames), atomically. */
    static void writeAvi(ImagePlus imp, Path file) {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".avi")) {
            throw new IllegalArgumentException("avi must name a file ending in .avi, was " + file);
        }
        AtomicFiles.write(file, temporary -> new AVI_Writer().writeImage(imp, temporary.toString(),
                AVI_Writer.PNG_COMPRESSION, 90));
    }

    /** Shows the dialog (or reads the macro options); null when cancelled. */
    static Values ask() {
        GenericDialog gd = new GenAiDialog(TITLE);
        FIELDS.add(gd);
        gd.addStringField("Seeds (two or more, comma-separated)", FIELDS.remembered("seeds", "1,2"), 30);
        gd.addNumericField("Frames per segment", FIELDS.remembered("frames", 8), 0);
        gd.addStringField("AVI file (empty = none)", FIELDS.remembered("avi", ""), 40);
        gd.addNumericField("Fps", FIELDS.remembered("fps", 8), 1);
        gd.addHelp(HELP);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return null;
        }
        GenerationFields.Values fields = FIELDS.read(gd);
        String seedList = gd.getNextString();
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
        List<Long> seeds = new ArrayList<>();
        for (String s : seedList.split(",")) {
            long seed;
            try {
                seed = Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("seeds: '" + s.strip() + "' is not a seed; give two or more"
                        + " whole numbers separated by commas, such as 1,2,3");
            }
            if (seed < 0 || seed > GenerationRequest.MAX_SEED) {
                throw new IllegalArgumentException("seeds: " + seed + " is out of range; a walk's seeds are in [0, "
                        + GenerationRequest.MAX_SEED + "] (no random seed)");
            }
            seeds.add(seed);
        }
        GenerationRequest base = fields.request(seeds.get(0), GenerationRequest.DEFAULT_STRENGTH, false);
        FIELDS.remember("seeds", seedList);
        FIELDS.remember("avi", avi);
        Prefs.set(PREFIX + "frames", frames);
        Prefs.set(PREFIX + "fps", fps);
        return new Values(fields.model(), base, seeds, frames, avi, fps);
    }
}
