package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ij.ImageStack;
import ij.process.ColorProcessor;

import org.ijgenai.core.AtomicFiles;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.ParameterGrid;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.imagej.GridImages;

/**
 * {@code grid}: an X/Y/Z sweep of txt2img parameters (A1111's xyz_grid): one generation per cell through the same
 * {@link GenerationJob} as {@code txt2img}, a labelled montage PNG (column headers X, row headers Y, one block per Z
 * value), a stack TIFF (a hyperstack with X as slices, Y as frames and Z as channels) with each cell's values as
 * slice label, and a CSV table of every cell's parameters and time ({@link GridImages}, shared with the Parameter
 * Grid command).
 */
final class GridCommand implements Subcommand, Main.FlagAware {

    /** Null for the System.out current at run time, so callers can redirect it. */
    private final PrintStream fixedOut;

    GridCommand() {
        this(null);
    }

    GridCommand(PrintStream out) {
        this.fixedOut = out;
    }

    @Override
    public String name() {
        return "grid";
    }

    @Override
    public String help() {
        return OptionHelp.lines(OptionHelp.model(), OptionHelp.prompt("what to draw in every cell"),
                "  --x AXIS=V1,V2,…     the columns: seed, cfg, steps, scheduler, strength or prompt_sr and its"
                        + " values (required)",
                "  --y AXIS=V1,V2,…     the rows (default: none)",
                "  --z AXIS=V1,V2,…     one block of rows and columns per value (default: none)",
                OptionHelp.negative(), OptionHelp.seed(0), OptionHelp.steps(), OptionHelp.cfg(),
                OptionHelp.scheduler(), OptionHelp.size(),
                "  --out MONTAGE.png    the labelled montage, parameters in text chunks (required)",
                "  --stack GRID.tif     also every cell as a hyperstack, its values as slice labels (default: none)",
                "  --table CELLS.csv    also a table of every cell's parameters and seconds (default: none)",
                OptionHelp.quiet());
    }

    @Override
    public String usage() {
        return "grid --model DIR|NAME --prompt TEXT --x AXIS=V1,V2,… [--y AXIS=…] [--z AXIS=…] [--negative TEXT]"
                + " [--seed N] [--steps N] [--cfg F] [--scheduler NAME] [--width W] [--height H] --out MONTAGE.png"
                + " [--stack GRID.tif] [--table CELLS.csv]   (AXIS: seed, cfg, steps, scheduler, prompt_sr; at most "
                + ParameterGrid.MAX_CELLS + " cells)";
    }

    @Override
    public Set<String> flags() {
        return Set.of("quiet");
    }

    @Override
    public int run(CliArgs args) throws Exception {
        PrintStream out = fixedOut != null ? fixedOut : System.out;
        String model = args.require("model");
        String prompt = args.require("prompt");
        List<ParameterGrid.Axis> axes = new ArrayList<>();
        for (String name : List.of("x", "y", "z")) {
            if (args.has(name)) {
                try {
                    axes.add(ParameterGrid.Axis.parse(args.require(name)));
                } catch (GenAiException e) {
                    throw new UsageException("--" + name + ": " + e.getMessage());
                }
            }
        }
        if (axes.isEmpty()) {
            throw new UsageException("give at least --x AXIS=V1,V2,…");
        }
        GenerationRequest base = new GenerationRequest(List.of(prompt), args.get("negative", null),
                args.getLong("seed", 0), args.getInt("steps", GenerationRequest.DEFAULT_STEPS),
                args.getDouble("cfg", GenerationRequest.DEFAULT_GUIDANCE), args.get("scheduler", null),
                args.getInt("width", 0), args.getInt("height", 0), 1, GenerationRequest.DEFAULT_STRENGTH);
        Path montage = args.requirePath("out");
        Path stackFile = args.getPath("stack");
        Path table = args.getPath("table");
        boolean quiet = args.flag("quiet");
        args.rejectUnknown();
        if (!ImageFiles.isPng(montage)) {
            throw new UsageException("--out must end in .png, was " + montage);
        }
        if (stackFile != null && !ImageFiles.isTiff(stackFile)) {
            throw new UsageException("--stack must end in .tif, was " + stackFile);
        }
        new OutputPaths().output("--out", montage).output("--stack", stackFile).output("--table", table).check();
        ParameterGrid grid;
        try {
            grid = new ParameterGrid(axes);
        } catch (GenAiException e) {
            throw new UsageException(e.getMessage());
        }
        List<ParameterGrid.Cell<GridImages.Picture>> cells = grid.run(base, (cell, request) -> {
            GridImages.Picture picture = GridImages.Picture.of(new GenerationJob().setModel(model)
                    .setRequest(request).optWarnings(w -> System.err.println("ij-genai grid: warning: " + w)).run());
            if (!quiet) {
                System.err.printf(Locale.ROOT, "\r[%d/%d] %s", cell + 1, grid.cells(), grid.label(cell));
            }
            return picture;
        }, CancellationToken.NONE);
        Map<String, String> parameters = GridImages.parameters(grid, cells.get(0).result().parameters());
        ImageStack stack = GridImages.cellStack(cells);
        ColorProcessor m = GridImages.montage(grid, stack);
        ImageFiles.writePng(montage, (int[]) m.getPixels(), m.getWidth(), m.getHeight(), parameters);
        out.println((quiet ? "" : "\n") + "wrote " + montage + " (" + grid.cells() + " cells)");
        if (stackFile != null) {
            ImageFiles.writeTiff(stackFile, GridImages.hyperstack(grid, stack, "grid", parameters));
            out.println("wrote " + stackFile);
        }
        if (table != null) {
            ImageFiles.writeCsv(table, GridImages.table(grid, cells, false));
            out.println("wrote " + table);
        }
        return 0;
    }
}
