package org.ijgenai.cli;

import java.awt.Color;
import java.awt.Font;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.ResultsTable;
import ij.process.ColorProcessor;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.GeneratedImages;
import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.ParameterGrid;
import org.ijgenai.imagej.GeneratedImagePlus;

/**
 * {@code grid}: an X/Y/Z sweep of txt2img parameters (A1111's xyz_grid): one generation per cell through the same
 * {@link GenerationJob} as {@code txt2img}, a labelled montage PNG (column headers X, row headers Y, one block per Z
 * value), a stack TIFF (a hyperstack with X as slices and Y·Z as frames) with each cell's values as slice label, and
 * a CSV table of every cell's parameters and time.
 */
final class GridCommand implements Subcommand, Main.FlagAware {

    private static final int HEADER = 24;
    private static final int ROW_LABEL = 140;

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
        ImageStack stack = null;
        ResultsTable rt = new ResultsTable();
        Map<String, String> parameters = null;
        for (int cell = 0; cell < grid.cells(); cell++) {
            GenerationRequest request = grid.request(base, cell);
            GenerationJob.Result job = new GenerationJob().setModel(model).setRequest(request)
                    .optWarnings(w -> System.err.println("ij-genai grid: warning: " + w)).run();
            GeneratedImages images = job.images();
            if (stack == null) {
                stack = new ImageStack(images.width(), images.height());
                parameters = new LinkedHashMap<>(job.parameters());
            }
            int[] at = grid.index(cell);
            StringBuilder label = new StringBuilder();
            for (int a = 0; a < axes.size(); a++) {
                label.append(a > 0 ? " · " : "").append(axes.get(a).label(at[a]));
            }
            stack.addSlice(label.toString(), new ColorProcessor(images.width(), images.height(), images.rgb(0)));
            rt.incrementCounter();
            rt.addValue("cell", cell + 1);
            rt.addValue("x", at[0] + 1);
            rt.addValue("y", at[1] + 1);
            rt.addValue("z", at[2] + 1);
            GenerationRequest used = images.request();
            rt.addValue("prompt", used.prompts().get(0));
            rt.addValue("seed", used.seed());
            rt.addValue("steps", used.steps());
            rt.addValue("guidance", used.guidance());
            rt.addValue("scheduler", used.scheduler());
            rt.addValue("seconds", images.seconds());
            if (!quiet) {
                System.err.printf(Locale.ROOT, "\r[%d/%d] %s", cell + 1, grid.cells(), label);
            }
        }
        parameters.remove("seed");
        for (int a = 0; a < axes.size(); a++) {
            parameters.put("grid_" + "xyz".charAt(a), axes.get(a).kind().name().toLowerCase(Locale.ROOT) + "="
                    + String.join(",", axes.get(a).values()));
        }
        ImagePlus m = new ImagePlus("grid", montage(grid, stack));
        ImageFiles.writePng(montage, (int[]) m.getProcessor().getPixels(), m.getWidth(), m.getHeight(),
                parameters);
        out.println((quiet ? "" : "\n") + "wrote " + montage + " (" + grid.cells() + " cells)");
        if (stackFile != null) {
            ImagePlus hyper = new ImagePlus("grid", stack);
            hyper.setDimensions(1, grid.size(0), grid.size(1) * grid.size(2));
            hyper.setOpenAsHyperStack(true);
            GeneratedImagePlus.describe(hyper, parameters);
            ImageFiles.writeTiff(stackFile, hyper);
            out.println("wrote " + stackFile);
        }
        if (table != null) {
            ImageFiles.writeCsv(table, rt);
            out.println("wrote " + table);
        }
        return 0;
    }

    /** The montage: one block per Z value side by side, each with the X headers on top and Y headers at the left. */
    static ColorProcessor montage(ParameterGrid grid, ImageStack stack) {
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
        ColorProcessor cp = new ColorProcessor(nz * blockWidth + (nz - 1) * 8, top + ny * h);
        cp.setColor(Color.WHITE);
        cp.fill();
        cp.setColor(Color.BLACK);
        cp.setFont(new Font("SansSerif", Font.PLAIN, 12));
        cp.setAntialiasedText(true);
        for (int z = 0; z < nz; z++) {
            int x0 = z * (blockWidth + 8);
            if (blocks) {
                cp.drawString(grid.axes().get(2).label(z), x0 + left, HEADER - 6);
            }
            for (int x = 0; x < nx; x++) {
                cp.drawString(fit(cp, grid.axes().get(0).label(x), w), x0 + left + x * w + 2, top - 6);
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

    private static String fit(ColorProcessor cp, String text, int width) {
        String t = text;
        while (t.length() > 3 && cp.getStringWidth(t) > width) {
            t = t.substring(0, t.length() - 2);
        }
        return t.equals(text) ? t : t + "…";
    }
}
