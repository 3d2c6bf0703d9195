package org.ijgenai.imagej;

import java.awt.Color;
import java.awt.Font;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.GridRun;
import org.ijgenai.core.diffusion.ParameterGrid;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import ij.process.ColorProcessor;

/**
 * The outputs of an X/Y/Z parameter grid, for the Parameter Grid command and the CLI's {@code grid}: the labelled
 * montage (A1111's xyz_grid layout), the hyperstack with one dimension per axis, and the table of every cell.
 */
public final class GridImages {

    /** Header height, row-label width and gap between Z blocks, in pixels, for images up to 256 pixels wide. */
    private static final int HEADER = 24;
    private static final int ROW_LABEL = 140;
    private static final int GAP = 8;

    /** The table's columns, in order. */
    public static final List<String> COLUMNS = List.of("cell", "x", "y", "z", "label", "prompt", "negative", "seed",
            "steps", "guidance", "scheduler", "strength", "emphasis", "width", "height", "seconds");

    private GridImages() {}

    /** The cells as one stack in cell order (X fastest), each slice labelled with its axis values. */
    public static ImageStack cellStack(List<GridRun.Cell> cells) {
        GridRun.Cell first = cells.get(0);
        ImageStack stack = new ImageStack(first.width(), first.height());
        for (GridRun.Cell cell : cells) {
            stack.addSlice(cell.label(), new ColorProcessor(cell.width(), cell.height(), cell.rgb()));
        }
        return stack;
    }

    /**
     * The hyperstack: X along Z (slices), Y along T (frames), a third axis along C (channels), so each axis has its
     * own slider; each slice keeps its cell's label and the Info holds {@code parameters}.
     *
     * @param cells the stack in cell order ({@link #cellStack})
     */
    public static ImagePlus hyperstack(ParameterGrid grid, ImageStack cells, String title,
            Map<String, String> parameters) {
        int nx = grid.size(0);
        int ny = grid.size(1);
        int nz = grid.size(2);
        ImageStack ordered = new ImageStack(cells.getWidth(), cells.getHeight());
        // ImageJ's order is channel fastest, then slice, then frame: (z, x, y) here.
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                for (int z = 0; z < nz; z++) {
                    int slice = 1 + x + nx * (y + ny * z);
                    ordered.addSlice(cells.getSliceLabel(slice), cells.getProcessor(slice));
                }
            }
        }
        ImagePlus imp = new ImagePlus(title, ordered);
        imp.setDimensions(nz, nx, ny);
        imp.setOpenAsHyperStack(grid.axes().size() > 1);
        GeneratedImagePlus.describe(imp, parameters);
        return imp;
    }

    /**
     * The montage: one block per Z value side by side (its value above it), each with the X values as column
     * headers and the Y values as row headers; text grows with images wider than 256 pixels.
     *
     * @param stack the cells in cell order ({@link #cellStack})
     */
    public static ColorProcessor montage(ParameterGrid grid, ImageStack stack) {
        int w = stack.getWidth();
        int h = stack.getHeight();
        int scale = Math.max(1, w / 256);
        int header = HEADER * scale;
        int nx = grid.size(0);
        int ny = grid.size(1);
        int nz = grid.size(2);
        boolean rows = grid.axes().size() > 1;
        boolean blocks = grid.axes().size() > 2;
        int left = rows ? ROW_LABEL * scale : 0;
        int top = header * (blocks ? 2 : 1);
        int blockWidth = left + nx * w;
        ColorProcessor cp = new ColorProcessor(nz * blockWidth + (nz - 1) * GAP, top + ny * h);
        cp.setColor(Color.WHITE);
        cp.fill();
        cp.setColor(Color.BLACK);
        cp.setFont(new Font("SansSerif", Font.PLAIN, 12 * scale));
        cp.setAntialiasedText(true);
        for (int z = 0; z < nz; z++) {
            int x0 = z * (blockWidth + GAP);
            if (blocks) {
                cp.drawString(fit(cp, grid.axes().get(2).label(z), blockWidth - left), x0 + left, header - 6 * scale);
            }
            for (int x = 0; x < nx; x++) {
                cp.drawString(fit(cp, grid.axes().get(0).label(x), w), x0 + left + x * w + 2, top - 6 * scale);
            }
            for (int y = 0; y < ny; y++) {
                if (rows) {
                    cp.drawString(fit(cp, grid.axes().get(1).label(y), left - 4), x0 + 2,
                            top + y * h + h / 2 + 6 * scale);
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
     * One row per cell: its place, its values, what it ran with ({@link #COLUMNS}) and its seconds; the strength
     * is empty (NaN) for txt2img, which has none.
     */
    public static ResultsTable table(GridRun.Result grid) {
        boolean strength = grid.mode() != GridRun.Mode.TXT2IMG;
        ResultsTable rt = new ResultsTable();
        rt.showRowNumbers(false);
        for (GridRun.Cell cell : grid.cells()) {
            int[] at = cell.at();
            GenerationRequest used = cell.request();
            rt.incrementCounter();
            rt.addValue("cell", cell.index() + 1);
            rt.addValue("x", at[0] + 1);
            rt.addValue("y", at[1] + 1);
            rt.addValue("z", at[2] + 1);
            rt.addValue("label", cell.label());
            rt.addValue("prompt", used.prompts().get(0));
            rt.addValue("negative", used.negativePrompt() == null ? "" : used.negativePrompt());
            rt.addValue("seed", used.seed());
            rt.addValue("steps", used.steps());
            rt.addValue("guidance", used.guidance());
            rt.addValue("scheduler", used.scheduler() == null ? "" : used.scheduler());
            rt.addValue("strength", strength ? used.strength() : Double.NaN);
            rt.addValue("emphasis", used.emphasis().label());
            rt.addValue("width", cell.width());
            rt.addValue("height", cell.height());
            rt.addValue("seconds", cell.seconds());
        }
        rt.setDecimalPlaces(rt.getColumnIndex("seconds"), 2);
        return rt;
    }

    private static String fit(ColorProcessor cp, String text, int width) {
        String t = text;
        while (t.length() > 3 && cp.getStringWidth(t) > width) {
            t = t.substring(0, t.length() - 2);
        }
        return t.equals(text) ? t : t + "…";
    }
}
