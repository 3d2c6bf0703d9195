package org.ijgenai.imagej;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.GridRun;
import org.ijgenai.core.diffusion.InpaintSettings;
import org.ijgenai.core.diffusion.ParameterGrid;
import org.ijgenai.core.diffusion.Schedulers;
import org.ijgenai.core.progress.CancellationToken;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;

/**
 * Plugins › Generative AI › Parameter Grid...: an X/Y/Z sweep (A1111's xyz_grid) over seed, guidance, steps,
 * scheduler, strength and Prompt S/R, on text to image, or on the current image (image to image) or its selection
 * (Generative Fill), run by the core's {@link GridRun} as the CLI's {@code grid} runs it. Each cell is the single
 * command's picture with those values; the results are a labelled montage, a hyperstack with one dimension per
 * axis and a table of every cell's parameters and time.
 */
public final class ParameterGridCommand extends GenAiCommand implements PlugIn {

    private static final String TITLE = "Parameter Grid";
    private static final String TABLE = "Grid cells";
    private static final String PREFIX = "ijgenai.grid.";
    private static final GenerationFields FIELDS = new GenerationFields(PREFIX);
    /** What the cells start from: a prompt alone, the current image, or its selection. */
    static final String[] INPUTS = {"text", "image", "selection"};
    /** The axis kinds as the dialog names them; "none" switches a Y or Z axis off. */
    static final String[] KINDS = {"seed", "guidance", "steps", "scheduler", "strength", "prompt_sr"};
    private static final String NONE = "none";

    private static final String HELP = "<html><b>Parameter Grid</b> (A1111's X/Y/Z plot)<br>"
            + "Each axis varies one parameter over comma-separated values: <i>seed</i> (1,2,3), <i>guidance</i>"
            + " (3,7.5), <i>steps</i>, <i>scheduler</i> (" + String.join(", ", Schedulers.NAMES) + "),"
            + " <i>strength</i> (image or selection input), <i>prompt_sr</i>: Prompt S/R, the first value is"
            + " searched in the prompt and replaced by each value in turn (red,blue,green).<br>"
            + "Every cell is exactly the picture the single command makes with those values (Text to Image,"
            + " Image to Image on the current image, or Generative Fill of its selection with default mask"
            + " settings). A random seed (-1) is drawn once for the whole grid.<br>"
            + "At most " + ParameterGrid.MAX_CELLS + " cells. Results: a montage with the X values as column"
            + " headers and the Y values as row headers (one block per Z value), a hyperstack (X slices, Y"
            + " frames, Z channels) with each cell's values as slice label, and the table \"" + TABLE + "\".<br>"
            + "Esc cancels. See docs/stable-diffusion.md.</html>";

    /** The dialog's values. */
    record Values(String model, GenerationRequest base, String input, List<ParameterGrid.Axis> axes) {}

    @Override
    public void run(String arg) {
        ImagePlus source = WindowManager.getCurrentImage();
        Values values;
        ParameterGrid grid;
        try {
            values = ask();
            if (values == null) {
                return;
            }
            grid = new ParameterGrid(values.axes());
            if (grid.varies(ParameterGrid.Kind.STRENGTH) && values.input().equals(INPUTS[0])) {
                throw new IllegalArgumentException("a strength axis needs an init image: set input to image"
                        + " (Image to Image) or selection (Generative Fill)");
            }
        } catch (IllegalArgumentException | GenAiException e) {
            reportError(TITLE, e);
            return;
        }
        if (!values.input().equals(INPUTS[0]) && source == null) {
            reportError(TITLE, new IllegalArgumentException("input=" + values.input() + " needs an open image"));
            return;
        }
        ImagePlus montage = run(values, grid, source);
        if (montage != null) {
            IJ.showStatus(TITLE + ": " + grid.cells() + " cells");
        }
    }

    /** Runs the grid and shows its outputs (the montage last, so it is the current image); null when failed. */
    static ImagePlus run(Values values, ParameterGrid grid, ImagePlus source) {
        CancellationToken cancel = escapeCancels();
        try {
            GridRun.Result result = gridRun(values, grid, source, cancel).run();
            IJ.showProgress(1.0);
            String name = GeneratedImagePlus.titleFor(values.base().prompts());
            ImageStack stack = GridImages.cellStack(result.cells());
            ImagePlus hyperstack = GridImages.hyperstack(grid, stack, name + " - grid", result.parameters());
            ImagePlus montage = new ImagePlus(name + " - grid montage", GridImages.montage(grid, stack));
            GeneratedImagePlus.describe(montage, result.parameters());
            MacroTables.publish(GridImages.table(result), TABLE);
            hyperstack.show();
            montage.show();
            return montage;
        } catch (OutOfMemoryError e) {
            reportError(TITLE, new GenAiException("Out of memory; try fewer cells or a smaller size", e));
            return null;
        } catch (RuntimeException e) {
            reportError(TITLE, e);
            return null;
        }
    }

    /**
     * The grid on the chosen input: txt2img, img2img of the current image, or Generative Fill of its selection
     * with the mask settings Generative Fill takes by default (the cell's strength as the fill's).
     */
    private static GridRun gridRun(Values values, ParameterGrid grid, ImagePlus source, CancellationToken cancel) {
        GridRun run = new GridRun().setModel(values.model()).setRequest(values.base()).setGrid(grid)
                .optUserModelDir(Prefs.get(ModelsWindow.PREF_USER_DIR, ""))
                .optWarnings(warning -> IJ.log(TITLE + ": " + warning)).optCancel(cancel);
        if (values.input().equals(INPUTS[1])) {
            run.optInitImage(ImageToImageCommand.initImage(source));
        } else if (values.input().equals(INPUTS[2])) {
            run.optInpaint(GenerativeFillCommand.rgb(source), GenerativeFillCommand.selectionMask(source),
                    InpaintSettings.defaults(), source.getTitle());
        }
        int[] cell = {0};
        run.optProgress((done, total, message) -> {
            cell[0] = done;
            IJ.showProgress(done, total);
            IJ.showStatus(TITLE + ": " + message + " (Esc cancels)");
        });
        run.optStepProgress((done, total, message) -> {
            IJ.showProgress(cell[0] * total + done, grid.cells() * total);
            IJ.showStatus(String.format(Locale.ROOT, "%s: cell %d/%d · %s · %s (Esc cancels)", TITLE,
                    cell[0] + 1, grid.cells(), grid.label(cell[0]), message));
        });
        return run;
    }

    /** Shows the dialog (or reads the macro options); null when cancelled. */
    static Values ask() {
        GenericDialog gd = new GenAiDialog(TITLE);
        FIELDS.add(gd);
        gd.addNumericField("Seed (-1 = random, once for the grid)", -1, 0);
        gd.addChoice("Input (text, current image, or its selection)", INPUTS,
                FIELDS.remembered("input", INPUTS[0]));
        gd.addNumericField("Strength (image or selection input)", FIELDS.remembered("strength",
                GenerationRequest.DEFAULT_STRENGTH), 2);
        String[] optional = new String[KINDS.length + 1];
        optional[0] = NONE;
        System.arraycopy(KINDS, 0, optional, 1, KINDS.length);
        gd.addChoice("X_axis", KINDS, FIELDS.remembered("x_axis", KINDS[0]));
        gd.addStringField("X_values (comma-separated)", FIELDS.remembered("x_values", "1,2,3"), 30);
        gd.addChoice("Y_axis", optional, FIELDS.remembered("y_axis", NONE));
        gd.addStringField("Y_values", FIELDS.remembered("y_values", ""), 30);
        gd.addChoice("Z_axis", optional, FIELDS.remembered("z_axis", NONE));
        gd.addStringField("Z_values", FIELDS.remembered("z_values", ""), 30);
        gd.addHelp(HELP);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return null;
        }
        GenerationFields.Values fields = FIELDS.read(gd);
        long seed = (long) gd.getNextNumber();
        String input = gd.getNextChoice();
        double strength = gd.getNextNumber();
        String[] kinds = new String[3];
        String[] lists = new String[3];
        for (int a = 0; a < 3; a++) {
            kinds[a] = gd.getNextChoice();
            lists[a] = gd.getNextString().trim();
        }
        if (gd.invalidNumber()) {
            throw new IllegalArgumentException("a numeric field holds something that is not a number");
        }
        List<ParameterGrid.Axis> axes = new ArrayList<>();
        for (int a = 0; a < 3; a++) {
            String axis = "xyz".substring(a, a + 1);
            if (kinds[a].equals(NONE)) {
                continue;
            }
            if (lists[a].isEmpty()) {
                throw new IllegalArgumentException(axis + "_values is empty: give the " + kinds[a]
                        + " values, separated by commas");
            }
            if (axes.size() < a) {
                throw new IllegalArgumentException(axis + "_axis is set but " + "xyz".charAt(a - 1)
                        + "_axis is none: fill the axes in order X, Y, Z");
            }
            try {
                axes.add(ParameterGrid.Axis.parse(kinds[a] + "=" + lists[a]));
            } catch (GenAiException e) {
                throw new IllegalArgumentException(axis + "_values: " + e.getMessage());
            }
        }
        // Image to Image generates at the init image's size, as the single command does.
        GenerationRequest base = fields.request(seed, strength, input.equals(INPUTS[1]));
        FIELDS.remember("input", input);
        Prefs.set(PREFIX + "strength", strength);
        for (int a = 0; a < 3; a++) {
            FIELDS.remember("xyz".charAt(a) + "_axis", kinds[a]);
            FIELDS.remember("xyz".charAt(a) + "_values", lists[a]);
        }
        return new Values(fields.model(), base, input, axes);
    }
}
