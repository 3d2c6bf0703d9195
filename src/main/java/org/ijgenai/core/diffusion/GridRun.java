package org.ijgenai.core.diffusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.RgbImage;

/**
 * An X/Y/Z grid as every front end runs it (Parameter Grid..., {@code bin/ij-genai grid}): each cell of a
 * {@link ParameterGrid} made by the job the single command runs with that cell's parameters, so that a cell is
 * exactly the single command's picture: txt2img through {@link GenerationJob}, img2img through the same job with
 * the init image, inpainting through {@link InpaintJob} with the cell's strength as the fill's strength. The
 * request is the base request that each cell changes along the axes.
 *
 * <p>Built with {@code set…} for what is required and {@code opt…} for the rest, then {@link #run()}.
 */
public final class GridRun extends SweepBuilder<GridRun> {

    /** What each cell runs. */
    public enum Mode {
        /** Text to image. */
        TXT2IMG,
        /** Image to image from an init image. */
        IMG2IMG,
        /** Inpainting of a masked init image. */
        INPAINT
    }

    /**
     * One generated cell.
     *
     * @param index the cell number, from 0, X fastest
     * @param at its {x, y, z} indices
     * @param label its axis values, "Seed: 2 · Scheduler: ddim"
     * @param request the request as run (seed and scheduler resolved)
     * @param rgb its pixels, packed 0xRRGGBB (inpainting: composited over the init image as the command does)
     * @param parameters everything that made it
     * @param seconds the generation's wall time
     */
    public record Cell(int index, int[] at, String label, GenerationRequest request, int[] rgb, int width,
            int height, Map<String, String> parameters, double seconds) {}

    /**
     * The grid's outcome.
     *
     * @param grid the axes
     * @param mode what the cells ran
     * @param cells every cell, X fastest
     * @param parameters the shared parameters (the first cell's, its axis values replaced by the axes)
     */
    public record Result(ParameterGrid grid, Mode mode, List<Cell> cells, Map<String, String> parameters) {}

    private ParameterGrid grid;
    private InitImage init;
    private RgbImage inpaintImage;
    private float[] inpaintMask;
    private InpaintSettings inpaintSettings;
    private String inpaintSource;
    private Consumer<Cell> cellListener = c -> {};

    /** The axes. */
    public GridRun setGrid(ParameterGrid axes) {
        this.grid = axes;
        return this;
    }

    /** img2img from this init image in every cell (null: txt2img). */
    public GridRun optInitImage(InitImage image) {
        this.init = image;
        return this;
    }

    /**
     * Inpainting in every cell, as {@link InpaintJob} runs it; the cell's strength (the base request's, or the
     * strength axis's) replaces {@code settings}' strength.
     *
     * @param mask the selection to repaint, in [0, 1] at the image's size
     * @param source where the image came from, recorded with the cells
     */
    public GridRun optInpaint(RgbImage image, float[] mask, InpaintSettings settings, String source) {
        this.inpaintImage = image;
        this.inpaintMask = mask;
        this.inpaintSettings = settings;
        this.inpaintSource = source;
        return this;
    }

    /** Called with each cell as soon as it is made. */
    public GridRun optCellListener(Consumer<Cell> listener) {
        this.cellListener = listener;
        return this;
    }

    /** What the cells run: inpainting when a mask is set, img2img with an init image, else txt2img. */
    public Mode mode() {
        return inpaintImage != null ? Mode.INPAINT : init != null ? Mode.IMG2IMG : Mode.TXT2IMG;
    }

    /**
     * Checks the grid against what the cells run, before any generation: every cell's request must be valid (a
     * Prompt S/R value the prompt lacks fails here), and the strength axis needs an init image.
     *
     * @throws GenAiException naming the problem
     */
    public void check() {
        GenerationRequest request = request();
        if (request == null || grid == null) {
            throw new IllegalStateException("a grid run needs setRequest and setGrid");
        }
        for (ParameterGrid.Axis axis : grid.axes()) {
            if (axis.kind() == ParameterGrid.Kind.STRENGTH && mode() == Mode.TXT2IMG) {
                throw new GenAiException("the strength axis needs an init image (img2img) or an init image and a"
                        + " mask (inpainting): txt2img has no strength");
            }
        }
        if (request.batchSize() != 1) {
            throw new GenAiException("a grid makes one image per cell: give one prompt and a batch of 1");
        }
        for (int cell = 0; cell < grid.cells(); cell++) {
            try {
                grid.request(request, cell);
            } catch (IllegalArgumentException | GenAiException e) {
                throw new GenAiException("grid cell " + (cell + 1) + " (" + grid.label(cell) + "): " + e.getMessage());
            }
        }
    }

    /**
     * Makes every cell.
     *
     * @throws GenAiException for a bad grid (see {@link #check()}) or a failing generation
     * @throws org.ijgenai.core.progress.CancelledException when cancelled
     */
    public Result run() {
        if (model() == null) {
            throw new IllegalStateException("a grid run needs setModel");
        }
        check();
        // One seed for every cell of a grid without a seed axis, drawn once, as A1111 does.
        GenerationRequest base = request().withResolvedSeed();
        List<Cell> cells = new ArrayList<>(grid.cells());
        Map<String, String> shared = null;
        for (int index = 0; index < grid.cells(); index++) {
            cancel().throwIfCancelled();
            String label = grid.label(index);
            progress().progress(index, grid.cells(), "cell " + (index + 1) + "/" + grid.cells() + ": " + label);
            Cell cell = cell(index, label, grid.request(base, index));
            if (shared == null) {
                shared = gridParameters(cell.parameters());
            }
            cells.add(cell);
            cellListener.accept(cell);
        }
        progress().progress(grid.cells(), grid.cells(), "grid done");
        return new Result(grid, mode(), cells, shared);
    }

    private Cell cell(int index, String label, GenerationRequest asked) {
        int[] at = grid.index(index);
        if (mode() == Mode.INPAINT) {
            InpaintSettings s = inpaintSettings;
            InpaintSettings settings = new InpaintSettings(s.grow(), s.feather(), s.blend(), s.context(),
                    s.padding(), s.composite(), s.maskedContent(), asked.strength());
            InpaintJob.Result r = passOptions(new InpaintJob()).setRequest(asked).setImage(inpaintImage, inpaintMask)
                    .optSource(inpaintSource).optSettings(settings).run();
            RgbImage image = r.images().get(0);
            GeneratedImages g = r.generation().images();
            Map<String, String> parameters = new LinkedHashMap<>(r.parameters());
            parameters.put("grid_cell", label);
            return new Cell(index, at, label, g.request(), image.packed(), image.width(), image.height(), parameters,
                    g.seconds());
        }
        GenerationJob.Result r = passOptions(new GenerationJob()).setRequest(asked).optInitImage(init).run();
        GeneratedImages g = r.images();
        Map<String, String> parameters = new LinkedHashMap<>(r.parameters());
        parameters.put("grid_cell", label);
        return new Cell(index, at, label, g.request(), g.rgb(0), g.width(), g.height(), parameters, g.seconds());
    }

    /** The first cell's parameters with each axis in place of that cell's value of it, and what the cells ran. */
    private Map<String, String> gridParameters(Map<String, String> first) {
        Map<String, String> p = grid.describe(first);
        p.remove("grid_cell");
        p.put("grid_mode", mode().name().toLowerCase(Locale.ROOT));
        return p;
    }
}
