package org.ijgenai.imagej;

import java.awt.Color;
import java.awt.Font;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import ij.process.ColorProcessor;

import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.GridRun;
import org.ijgenai.core.diffusion.LatentWalk;
import org.ijgenai.core.diffusion.ParameterGrid;

/**
 * Turns sweeps into ImagePlus windows and tables, for the menu commands and the CLI alike: a latent walk as a
 * stack labelled with each frame's position, and an X/Y/Z grid as a hyperstack (X as slices, Y·Z as frames), a
 * labelled montage as A1111's {@code xyz_grid} draws it, and a ResultsTable of every cell's parameters and time.
 */
public final class SweepImages {

    /** A header row holds two lines of 12-point text, so "Strength:" over "0.75" fits above a 64-pixel cell. */
    private static final int HEADER = 32;
    private static final int LINE = 14;
    private static final int ROW_LABEL = 140;
    private static final int BLOCK_GAP = 8;

    private SweepImages() {}

    /** The walk's frames as an RGB stack, slice labels "3: seed 3→8 t=0.250", the walk's parameters in Info. */
    public static ImagePlus walkStack(LatentWalk.Result walk, String title) {
        LatentWalk.FrameImage first = walk.frames().get(0);
        ImageStack stack = new ImageStack(first.width(), first.height());
        for (LatentWalk.FrameImage f : walk.frames()) {
            stack.addSlice((f.frame().index() + 1) + ": " + f.frame().label(),
                    new ColorProcessor(f.width(), f.height(), f.rgb()));
        }
        ImagePlus imp = new ImagePlus(title, stack);
        GeneratedImagePlus.describe(imp, walk.parameters());
        return imp;
    }

    /** The grid's cells as a hyperstack: X along slices, Y then Z along frames, each cell's values as its label. */
    public static ImagePlus gridHyperstack(GridRun.Result result, String title) {
        ImagePlus imp = new ImagePlus(title, gridStack(result));
        ParameterGrid grid = result.grid();
        imp.setDimensions(1, grid.size(0), grid.size(1) * grid.size(2));
        imp.setOpenAsHyperStack(true);
        GeneratedImagePlus.describe(imp, result.parameters());
        return imp;
    }

    /** The cells as a plain stack in cell order, X fastest. */
    public static ImageStack gridStack(GridRun.Result result) {
        GridRun.Cell first = result.cells().get(0);
        ImageStack stack = new ImageStack(first.width(), first.height());
        for (GridRun.Cell c : result.cells()) {
            stack.addSlice(c.label(), new ColorProcessor(c.width(), c.height(), c.rgb()));
        }
        return stack;
    }

    /** One row per cell: its indices, prompt, seed, steps, guidance, scheduler, strength and time. */
    public static ResultsTable gridTable(GridRun.Result result) {
        ResultsTable rt = new ResultsTable();
        boolean strength = result.grid().axes().stream().anyMatch(a -> a.kind() == ParameterGrid.Kind.STRENGTH)
                || result.parameters().containsKey("strength");
        for (GridRun.Cell c : result.cells()) {
            rt.incrementCounter();
            rt.addValue("cell", c.index() + 1);
            rt.addValue("x", c.at()[0] + 1);
            rt.addValue("y", c.at()[1] + 1);
            rt.addValue("z", c.at()[2] + 1);
            GenerationRequest used = c.request();
            rt.addValue("prompt", used.prompts().get(0));
            rt.addValue("seed", used.seed());
            rt.addValue("steps", used.steps());
            rt.addValue("guidance", used.guidance());
            rt.addValue("scheduler", used.scheduler());
            if (strength) {
                rt.addValue("strength", used.strength());
            }
            rt.addValue("seconds", c.seconds());
        }
        return rt;
    }

    /**
     * The labelled montage: one block per Z value side by side, each with the X values as column headers on top
     * and the Y values as row headers at the left.
     */
    public static ColorProcessor gridMontage(GridRun.Result result) {
        ParameterGrid grid = result.grid();
        ImageStack stack = gridStack(result);
        int w = stack.getWidth();
        int h = stack.getHeight();
        int nx = grid.size(0);
        int ny = grid.size(1);
        int nz = grid.size(2);
        boolean rows = grid.axes().size() > 1;
        boolean blocks = grid.axes().size() > 2;
        int left = rows ? ROW_LABEL : 0;
        int top = HEADER * (blocks ? 2 : 1);
        int blockWidth = left + nx * w;
        ColorProcessor cp = new ColorProcessor(nz * blockWidth + (nz - 1) * BLOCK_GAP, top + ny * h);
        cp.setColor(Color.WHITE);
        cp.fill();
        cp.setColor(Color.BLACK);
        cp.setFont(new Font("SansSerif", Font.PLAIN, 12));
        cp.setAntialiasedText(true);
        for (int z = 0; z < nz; z++) {
            int x0 = z * (blockWidth + BLOCK_GAP);
            if (blocks) {
                cp.drawString(grid.axes().get(2).label(z), x0 + left, HEADER - 6);
            }
            for (int x = 0; x < nx; x++) {
                drawHeader(cp, grid.axes().get(0).label(x), x0 + left + x * w + 2, top - 6, w - 2);
            }
            for (int y = 0; y < ny; y++) {
                if (rows) {
                    cp.drawString(fit(cp, grid.axes().get(1).label(y), left - 4), x0 + 2, top + y * h + h / 2 + 6);
                }
                for (int x = 0; x < nx; x++) {
                    int slice = 1 + x + nx * (y + ny * z);
                    cp.insert(stack.getProcessor(slice), x0 + left + x * w, top + y * h);
                }
            }
        }
        return cp;
    }

    /**
     * A column header ending at baseline {@code y}: on one line when it fits the cell, else its name over its value
     * ("Strength:" / "0.75"), each cut with "…" only if it still does not fit.
     */
    private static void drawHeader(ColorProcessor cp, String label, int x, int y, int width) {
        int colon = label.indexOf(": ");
        if (cp.getStringWidth(label) <= width || colon < 0) {
            cp.drawString(fit(cp, label, width), x, y);
            return;
        }
        cp.drawString(fit(cp, label.substring(0, colon + 1), width), x, y - LINE);
        cp.drawString(fit(cp, label.substring(colon + 2), width), x, y);
    }

    private static String fit(ColorProcessor cp, String text, int width) {
        String t = text;
        while (t.length() > 3 && cp.getStringWidth(t) > width) {
            t = t.substring(0, t.length() - 2);
        }
        return t.equals(text) ? t : t + "…";
    }
}
