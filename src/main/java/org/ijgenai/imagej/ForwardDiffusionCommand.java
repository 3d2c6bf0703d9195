package org.ijgenai.imagej;

import java.awt.AWTEvent;
import java.awt.Label;
import java.util.Locale;

import ij.IJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.gui.DialogListener;
import ij.gui.GenericDialog;
import ij.plugin.filter.ExtendedPlugInFilter;
import ij.plugin.filter.PlugInFilterRunner;
import ij.process.ImageProcessor;
import org.ijgenai.core.noise.ForwardDiffusionRequest;
import org.ijgenai.core.noise.TimestepSelection;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.noise.BetaSchedule;
import org.ijgenai.core.noise.NoiseSchedule;

/**
 * Plugins › Generative AI › Forward Diffusion...: shows the forward (noising) process of a diffusion model on the
 * current image plane as a labelled stack, x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε with one ε for every frame, and plots the
 * noise schedule. The source image is never modified.
 *
 * <p>Macro: {@code run("Forward Diffusion...", "schedule=linear beta_start=0.0001 beta_end=0.02
 * num_train_timesteps=1000 frames=10 show_timesteps=[] seed=42 plot compare")}; a non-empty {@code show_timesteps}
 * (e.g. {@code show_timesteps=[0,250,500,999]}) replaces the evenly spaced frames.
 */
public final class ForwardDiffusionCommand extends GenAiCommand implements ExtendedPlugInFilter, DialogListener {

    /** The exact menu and macro name. */
    public static final String COMMAND = "Forward Diffusion...";

    private static final String TITLE = "Forward Diffusion";
    private static final String PREFS = "ijgenai.diffusion.";
    private static final String PREVIEW_TITLE = "Forward Diffusion preview";
    private static final int FLAGS = DOES_8G | DOES_16 | DOES_32 | DOES_RGB | NO_CHANGES | NO_UNDO;

    private ImagePlus image;
    /** Written by the dialog's event thread, read by the preview thread. */
    private volatile ForwardDiffusionRequest request;
    private String invalidReason;
    private boolean plot;
    private boolean compareAll;
    private volatile boolean dialogOpen;
    private ImagePlus preview;
    private Label info;

    @Override
    public int setup(String arg, ImagePlus imp) {
        image = imp;
        return FLAGS;
    }

    /** The dialog's Help text. */
    static final String HELP = "<html>Shows the forward process q(x_t|x_0) of a diffusion model as a"
            + " stack, one slice per"
            + " timestep, labelled with t, alpha_bar_t and the SNR. One noise field eps (numpy RandomState"
            + " seed) is used for every frame.<br>8-bit and RGB: 0..255 maps to [-1,1], the output keeps the"
            + " type and is clipped. 16/32-bit: the display range maps to [-1,1], the output is 32-bit and not"
            + " clipped.</html>";

    @Override
    public int showDialog(ImagePlus imp, String command, PlugInFilterRunner pfr) {
        boolean macro = isMacro();
        GenericDialog gd = new GenAiDialog(TITLE);
        String[] schedules = new String[BetaSchedule.values().length];
        for (BetaSchedule schedule : BetaSchedule.values()) {
            schedules[schedule.ordinal()] = schedule.configName();
        }
        // Macros get the built-in defaults for omitted keys, so a macro means the same on every machine.
        gd.addChoice("Schedule", schedules, macro ? "linear" : Prefs.get(PREFS + "schedule", "linear"));
        gd.addNumericField("Beta_start", macro ? ForwardDiffusionRequest.DEFAULT_BETA_START
                : Prefs.get(PREFS + "betaStart", ForwardDiffusionRequest.DEFAULT_BETA_START), 6, 10, null);
        gd.addNumericField("Beta_end", macro ? ForwardDiffusionRequest.DEFAULT_BETA_END
                : Prefs.get(PREFS + "betaEnd", ForwardDiffusionRequest.DEFAULT_BETA_END), 6, 10, null);
        gd.addNumericField("Num_train_timesteps (T)", macro ? ForwardDiffusionRequest.DEFAULT_TRAIN_TIMESTEPS
                : Prefs.get(PREFS + "trainTimesteps", ForwardDiffusionRequest.DEFAULT_TRAIN_TIMESTEPS), 0);
        gd.addNumericField("Frames (evenly spaced)", macro ? ForwardDiffusionRequest.DEFAULT_FRAMES
                : Prefs.get(PREFS + "frames", ForwardDiffusionRequest.DEFAULT_FRAMES), 0);
        gd.addStringField("Show_timesteps (list, overrides frames)", macro ? "" : Prefs.get(PREFS + "timesteps", ""),
                16);
        gd.addNumericField("Seed", macro ? ForwardDiffusionRequest.DEFAULT_SEED
                : Prefs.get(PREFS + "seed", ForwardDiffusionRequest.DEFAULT_SEED), 0);
        gd.addCheckbox("Plot noise schedule", macro || Prefs.get(PREFS + "plot", true));
        gd.addCheckbox("Compare all four schedules in the plot", !macro && Prefs.get(PREFS + "compare", false));
        gd.addPreviewCheckbox(pfr);
        gd.addMessage("x_t = sqrt(alpha_bar_t)*x0 + sqrt(1-alpha_bar_t)*eps                              ");
        info = gd.getMessage() instanceof Label label ? label : null;
        gd.addDialogListener(this);
        gd.addHelp(HELP);
        dialogOpen = true;
        try {
            gd.showDialog();
        } finally {
            dialogOpen = false;
            closePreview();
        }
        if (gd.wasCanceled()) {
            return DONE;
        }
        if (request == null) {
            reportError(TITLE, new IllegalArgumentException(invalidReason));
            return DONE;
        }
        if (!macro) {
            remember();
        }
        return FLAGS;
    }

    @Override
    public boolean dialogItemChanged(GenericDialog gd, AWTEvent e) {
        String schedule = gd.getNextChoice();
        double betaStart = gd.getNextNumber();
        double betaEnd = gd.getNextNumber();
        double trainTimesteps = gd.getNextNumber();
        double frames = gd.getNextNumber();
        String timesteps = gd.getNextString().trim();
        double seed = gd.getNextNumber();
        plot = gd.getNextBoolean();
        compareAll = gd.getNextBoolean();
        try {
            if (gd.invalidNumber()) {
                throw new IllegalArgumentException("a numeric field does not hold a number: "
                        + gd.getErrorMessage());
            }
            request = new ForwardDiffusionRequest(BetaSchedule.fromConfigName(schedule), betaStart, betaEnd,
                    (int) wholeNumber("num_train_timesteps", trainTimesteps),
                    timesteps.isEmpty() ? TimestepSelection.evenlySpaced((int) wholeNumber("frames", frames))
                            : TimestepSelection.parseList(timesteps),
                    (long) wholeNumber("seed", seed));
            invalidReason = null;
            showInfo(summary(request));
            return true;
        } catch (IllegalArgumentException invalid) {
            request = null;
            invalidReason = invalid.getMessage();
            showInfo(invalidReason);
            return false;
        }
    }

    private static double wholeNumber(String name, double value) {
        if (value != Math.rint(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a whole number, was " + value);
        }
        return value;
    }

    private static String summary(ForwardDiffusionRequest request) {
        NoiseSchedule schedule = request.noiseSchedule();
        int[] t = request.timesteps();
        int last = t[t.length - 1];
        return String.format(Locale.ROOT, "%d frames; last t=%d: alpha_bar=%.4g, SNR=%.3g", t.length, last,
                schedule.alphaCumprod(last), schedule.snr(last));
    }

    private void showInfo(String text) {
        if (info != null) {
            info.setText(text);
        }
    }

    private void remember() {
        Prefs.set(PREFS + "schedule", request.schedule().configName());
        Prefs.set(PREFS + "betaStart", request.betaStart());
        Prefs.set(PREFS + "betaEnd", request.betaEnd());
        Prefs.set(PREFS + "trainTimesteps", request.numTrainTimesteps());
        if (request.selection().isExplicit()) {
            Prefs.set(PREFS + "timesteps", joined(request.timesteps()));
        } else {
            Prefs.set(PREFS + "timesteps", "");
            Prefs.set(PREFS + "frames", request.timesteps().length);
        }
        Prefs.set(PREFS + "seed", request.seed());
        Prefs.set(PREFS + "plot", plot);
        Prefs.set(PREFS + "compare", compareAll);
    }

    private static String joined(int[] values) {
        StringBuilder out = new StringBuilder();
        for (int v : values) {
            out.append(out.length() == 0 ? "" : ",").append(v);
        }
        return out.toString();
    }

    @Override
    public void setNPasses(int nPasses) {
        // One pass: the command works on the current plane only.
    }

    @Override
    public void run(ImageProcessor ip) {
        ForwardDiffusionRequest current = request;
        if (current == null) {
            return;
        }
        try {
            if (dialogOpen) {
                showPreview(ForwardDiffusionImages.diffuse(image, ip, current, CancellationToken.NONE,
                        ProgressListener.NONE));
                return;
            }
            CancellationToken cancel = new CancellationToken(IJ::escapePressed);
            ImagePlus result = ForwardDiffusionImages.diffuse(image, ip, current, cancel,
                    (done, total, message) -> IJ.showProgress(done, total));
            if (plot) {
                SchedulePlot.create(current.schedule(), current.betaStart(), current.betaEnd(),
                        current.numTrainTimesteps(), compareAll).show();
            }
            // Shown last so that the stack is the current image for the next macro command.
            ResultWindows.show(result);
            IJ.showProgress(1.0);
        } catch (RuntimeException failure) {
            if (dialogOpen) {
                // A preview failure (e.g. an empty display range) is shown in the dialog; OK reports it properly.
                showInfo(failure.getMessage());
            } else {
                reportError(TITLE, failure);
            }
        }
    }

    private synchronized void showPreview(ImagePlus frames) {
        if (!dialogOpen) {
            // The dialog closed while this preview was being computed; closePreview() has already run.
            return;
        }
        if (preview == null || preview.getWindow() == null) {
            preview = new ImagePlus(PREVIEW_TITLE, frames.getStack());
            preview.setProperty("Info", frames.getProperty("Info"));
            ResultWindows.show(preview);
        } else {
            int slice = Math.min(preview.getCurrentSlice(), frames.getStackSize());
            preview.setStack(frames.getStack());
            preview.setSlice(slice);
        }
        if (frames.getBitDepth() == 32) {
            preview.setDisplayRange(frames.getDisplayRangeMin(), frames.getDisplayRangeMax());
        }
        preview.updateAndDraw();
    }

    private synchronized void closePreview() {
        if (preview != null) {
            preview.changes = false;
            preview.close();
            preview = null;
        }
    }
}
