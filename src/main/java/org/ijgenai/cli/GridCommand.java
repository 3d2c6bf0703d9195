package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ij.ImageStack;
import ij.process.ColorProcessor;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.GridRun;
import org.ijgenai.core.diffusion.InpaintSettings;
import org.ijgenai.core.diffusion.ParameterGrid;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.imagej.GridImages;

/**
 * {@code grid}: an X/Y/Z sweep of txt2img, img2img ({@code --init}) or inpainting ({@code --init} and
 * {@code --mask}) parameters (A1111's xyz_grid) through {@link GridRun}, each cell made by the job the single
 * command runs, drawn by {@link GridImages} as the Parameter Grid command draws it: a labelled montage PNG (column
 * headers X, row headers Y, one block per Z value), a hyperstack TIFF (X as slices, Y as frames, Z as channels)
 * with each cell's values as slice label, and a CSV table of every cell's parameters and time.
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
    public String usage() {
        return "grid --model DIR|NAME --prompt TEXT --x AXIS=V1,V2,… [--y AXIS=…] [--z AXIS=…] [--seed N] "
                + GenerationOptions.USAGE + " [--init IMAGE [--mask MASK.png " + InpaintOptions.USAGE
                + "] | --strength F] --out MONTAGE.png [--stack GRID.tif] [--table CELLS.csv]   (AXIS: seed, cfg,"
                + " steps, scheduler, strength, prompt_sr; at most " + ParameterGrid.MAX_CELLS + " cells)";
    }

    @Override
    public String help() {
        return String.join("\n",
                OptionHelp.model(),
                "  --prompt TEXT        what to draw (required)",
                "  --x AXIS=V1,V2,…     the columns (required): seed, cfg, steps, scheduler, strength (with --init) or"
                        + " prompt_sr (the first value is replaced in the prompt by each value)",
                "  --y AXIS=V1,V2,…     the rows (default: none)",
                "  --z AXIS=V1,V2,…     the blocks side by side (default: none); at most " + ParameterGrid.MAX_CELLS
                        + " cells in all",
                "  --seed N             the seed of every cell without a seed axis (default: 0)",
                "  --init IMAGE         img2img: redraw this picture in every cell (default: none, txt2img)",
                "  --mask MASK.png      with --init: inpaint, white = repaint, with the options of the inpaint command"
                        + " (default: none)",
                "  --out FILE           the labelled montage, a .png (required)",
                "  --stack FILE         also the cells as a hyperstack .tif (default: none)",
                "  --table FILE         also every cell's parameters and time as .csv (default: none)") + "\n"
                + OptionHelp.generation()
                + OptionHelp.inpaint(InpaintSettings.maskFileDefaults(), true);
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
        Path init = args.getPath("init");
        Path maskFile = args.getPath("mask");
        if (maskFile != null && init == null) {
            throw new UsageException("--mask needs --init, the picture to inpaint");
        }
        InpaintSettings inpaint = maskFile == null ? null
                : InpaintOptions.settings(args, InpaintSettings.maskFileDefaults());
        double strength = inpaint != null ? inpaint.strength()
                : args.getDouble("strength", GenerationRequest.DEFAULT_STRENGTH);
        if (init != null && maskFile == null && (args.has("width") || args.has("height"))) {
            throw new UsageException("--width and --height do not apply to img2img: it works at the init image's"
                    + " size, as the img2img command does");
        }
        if (init == null && args.has("strength")) {
            throw new UsageException("--strength needs --init (img2img) or --init and --mask (inpainting)");
        }
        if (inpaint != null && strength == 0) {
            throw new UsageException("--strength 0 repaints nothing; give a strength in (0, 1] for a grid");
        }
        GenerationRequest base = GenerationOptions.request(args, List.of(prompt), args.getLong("seed", 0),
                strength);
        String device = GenerationOptions.device(args);
        int threads = GenerationOptions.threads(args);
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
        new OutputPaths().input("--init", init).input("--mask", maskFile).output("--out", montage)
                .output("--stack", stackFile).output("--table", table).check();
        GridRun run;
        try {
            run = new GridRun().setModel(model).setRequest(base).setGrid(new ParameterGrid(axes));
        } catch (GenAiException e) {
            throw new UsageException(e.getMessage());
        }
        if (maskFile != null) {
            RgbImage image = ImageFiles.readRgb(init, name(), "init image");
            run.optInpaint(image, InpaintOptions.readMask(maskFile, image, init, name()), inpaint,
                    init.getFileName().toString());
        } else if (init != null) {
            run.optInitImage(ImageFiles.readInit(init));
        }
        try {
            run.check();
        } catch (GenAiException e) {
            throw new UsageException(e.getMessage());
        }
        GridRun.Result result = run.optDevice(device).optThreads(threads)
                .optWarnings(w -> System.err.println("ij-genai grid: " + w))
                .optProgress(ProgressLine.of(quiet))
                .run();
        ParameterGrid grid = result.grid();
        ImageStack stack = GridImages.cellStack(result.cells());
        ColorProcessor m = GridImages.montage(grid, stack);
        ImageFiles.writePng(montage, (int[]) m.getPixels(), m.getWidth(), m.getHeight(), result.parameters());
        out.println((quiet ? "" : "\n") + "wrote " + montage + " (" + result.cells().size() + " cells)");
        if (stackFile != null) {
            ImageFiles.writeTiff(stackFile, GridImages.hyperstack(grid, stack, "grid", result.parameters()));
            out.println("wrote " + stackFile);
        }
        if (table != null) {
            ImageFiles.writeCsv(table, GridImages.table(result));
            out.println("wrote " + table);
        }
        return 0;
    }
}
