package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.catalog.ModelLocator;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.search.ClipModel;
import org.ijgenai.core.search.ClipSearch;
import org.ijgenai.core.search.ImageFileReader;
import org.ijgenai.core.search.ImageIndexer;
import org.ijgenai.core.search.IndexingReport;
import org.ijgenai.core.search.SearchHit;
import org.ijgenai.core.search.ZeroShotClassifier;

/**
 * {@code ij-genai clip index|search|label}: CLIP image indexing, search by text or image, and zero-shot labels.
 */
public final class ClipCommand implements Subcommand, Main.FlagAware {

    private final PrintStream out;
    private final PrintStream err;

    /** A command that prints to the process's standard streams. */
    public ClipCommand() {
        this(System.out, System.err);
    }

    /** A command that prints to the given streams (for tests). */
    public ClipCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public String name() {
        return "clip";
    }

    @Override
    public String help() {
        return String.join("\n",
                "clip index:",
                "  --model DIR|NAME     a CLIP model folder (transformers.js layout) or an installed model's name (required)",
                "  --images DIR         the folder of images, searched recursively (required)",
                "  --index DIR          the Lucene index to create or update (required)",
                "  --batch N            images per network call (default: " + ImageIndexer.Settings.DEFAULT.batchSize()
                        + ")",
                "  --threads N          decoding threads (default: " + ImageIndexer.Settings.DEFAULT.decoderThreads()
                        + ")",
                "  --quiet              no progress",
                "clip search:",
                "  --index DIR          an index made by clip index (required)",
                "  --model DIR|NAME     the CLIP model (default: the one the index was built with)",
                "  --text TEXT          search by text (required unless --image)",
                "  --image FILE         search by image (required unless --text)",
                "  --top K              how many hits (default: 10)",
                "  --exact              exact search instead of the HNSW graph",
                "clip label:",
                "  --model DIR|NAME     a CLIP model folder or an installed model's name (required)",
                "  --image FILE         the image to label (required unless --stack)",
                "  --stack FILE         a stack whose slices to label (required unless --image)",
                "  --labels A,B,...     the candidate labels (required)",
                "  --template TEXT      prompt template, {} is the label (default: the model's)",
                "  --logit-scale F      softmax temperature (default: the model's)") + "\n";
    }

    @Override
    public String usage() {
        return "clip index --model DIR|NAME --images DIR --index DIR [--batch N] [--threads N]\n"
                + "  clip search --index DIR [--model DIR|NAME] (--text TEXT | --image FILE) [--top K] [--exact]\n"
                + "  clip label --model DIR|NAME (--image FILE | --stack FILE) --labels \"a,b,c\" [--template T]"
                + " [--logit-scale S]";
    }

    @Override
    public Set<String> flags() {
        return Set.of("exact", "quiet");
    }

    @Override
    public int run(CliArgs args) {
        if (args.positional().isEmpty()) {
            throw new UsageException("say what to do: clip index, clip search or clip label");
        }
        String action = args.positional().get(0);
        if (args.positional().size() > 1) {
            throw new UsageException("unexpected argument '" + args.positional().get(1) + "'");
        }
        switch (action) {
            case "index":
                return index(args);
            case "search":
                return search(args);
            case "label":
                return label(args);
            default:
                throw new UsageException("unknown clip action '" + action + "'; expected index, search or label");
        }
    }

    private int index(CliArgs args) {
        String modelArg = args.require("model");
        Path images = args.requirePath("images");
        Path indexDir = args.requirePath("index");
        ImageIndexer.Settings defaults = ImageIndexer.Settings.DEFAULT;
        ImageIndexer.Settings settings = new ImageIndexer.Settings(args.getInt("batch", defaults.batchSize()),
                args.getInt("threads", defaults.decoderThreads()));
        boolean quiet = args.flag("quiet");
        args.rejectUnknown();
        try (ClipModel model = ClipModel.open(ModelLocator.resolve(modelArg, null), SessionSettings.DEFAULT)) {
            IndexingReport report = new ImageIndexer(model, settings).indexFolder(images, indexDir,
                    (done, total, message) -> {
                        if (!quiet) {
                            err.println(message);
                        }
                    }, CancellationToken.NONE);
            for (IndexingReport.SkippedImage s : report.skipped()) {
                out.println("skipped\t" + s.path() + "\t" + s.reason());
            }
            out.println(report.summary());
            return 0;
        }
    }

    private int search(CliArgs args) {
        Path indexDir = args.requirePath("index");
        String modelArg = args.get("model", null);
        String text = args.get("text", null);
        Path image = args.getPath("image");
        int top = args.getInt("top", 10);
        boolean exact = args.flag("exact");
        args.rejectUnknown();
        if ((text == null) == (image == null)) {
            throw new UsageException("give exactly one of --text or --image");
        }
        if (text != null && text.isBlank()) {
            throw new UsageException("--text is empty; give the words to search for");
        }
        if (top < 1) {
            throw new UsageException("--top must be ≥ 1, was " + top);
        }
        Path modelDir = modelArg == null ? null : ModelLocator.resolve(modelArg, null);
        try (ClipSearch search = ClipSearch.open(indexDir, modelDir, SessionSettings.DEFAULT)) {
            float[] query = text != null ? search.model().embedTexts(List.of(text))[0]
                    : search.model().embedImages(List.of(readImage(image)))[0];
            List<SearchHit> hits = exact ? search.index().exactSearch(query, top) : search.index().search(query, top);
            for (SearchHit hit : hits) {
                out.println(String.format(Locale.ROOT, "%d\t%.4f\t%s", hit.rank(), hit.cosine(), hit.location()));
            }
            return 0;
        }
    }

    private int label(CliArgs args) {
        String modelArg = args.require("model");
        Path image = args.getPath("image");
        Path stack = args.getPath("stack");
        String labelList = args.require("labels");
        String template = args.get("template", null);
        double scale = args.getDouble("logit-scale", Double.NaN);
        args.rejectUnknown();
        if ((image == null) == (stack == null)) {
            throw new UsageException("give exactly one of --image or --stack");
        }
        List<String> labels = ZeroShotClassifier.parseLabels(labelList);
        List<RgbImage> images = image != null ? List.of(readImage(image)) : readStack(stack);
        try (ClipModel model = ClipModel.open(ModelLocator.resolve(modelArg, null), SessionSettings.DEFAULT)) {
            ZeroShotClassifier classifier = new ZeroShotClassifier(model, labels, template, scale);
            StringBuilder header = new StringBuilder("slice\tlabel\tprobability");
            for (String label : labels) {
                header.append("\tp(").append(label).append(')');
            }
            out.println(header);
            List<ZeroShotClassifier.Result> results = classifier.classify(images);
            for (int i = 0; i < results.size(); i++) {
                ZeroShotClassifier.Result r = results.get(i);
                StringBuilder line = new StringBuilder();
                line.append(i + 1).append('\t').append(labels.get(r.best())).append('\t')
                        .append(String.format(Locale.ROOT, "%.4f", r.probabilities()[r.best()]));
                for (double p : r.probabilities()) {
                    line.append('\t').append(String.format(Locale.ROOT, "%.4f", p));
                }
                out.println(line);
            }
            err.println(String.format(Locale.ROOT, "logit scale %.4f (%s)", classifier.logitScale(),
                    !Double.isNaN(scale) ? "given" : model.logitScaleSource()));
            return 0;
        }
    }

    private static RgbImage readImage(Path file) {
        try {
            return ImageFileReader.read(file);
        } catch (GenAiException e) {
            throw new GenAiException("Cannot read the image: " + e.getMessage(), e);
        }
    }

    private static List<RgbImage> readStack(Path file) {
        try {
            return ImageFileReader.readAll(file);
        } catch (GenAiException e) {
            throw new GenAiException("Cannot read the stack: " + e.getMessage(), e);
        }
    }
}
