package org.ijgenai.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.catalog.ModelDirectories;

/**
 * {@code ij-genai demo}: every feature on the bundled models, offline, in seconds: forward diffusion, txt2img with
 * its step stacks, img2img, CLIP search, ink-gan style transfer and (when IS-Net is installed) segmentation,
 * written to one folder with an {@code index.html} that shows them with their parameters.
 */
final class DemoCommand implements Subcommand, Main.FlagAware {

    /** The bundled sample the forward-diffusion section starts from. */
    static final String SAMPLE = "astronaut.png";

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String help() {
        return String.join("\n",
                "  --out DIR            where to write index.html and the pictures (default: demo-output)",
                "  --image FILE         the photo for forward diffusion (default: samples/" + SAMPLE + ")",
                "  --models DIR         the bundled models (default: the installation's, as every command finds them)",
                "  --no-show            do not open ImageJ, even with a display") + "\n";
    }

    @Override
    public String usage() {
        return "demo [--out DIR] [--image FILE] [--models DIR] [--no-show]   (default DIR: demo-output/; image: "
                + "samples/" + SAMPLE + " for forward diffusion; models: the installation's models/; --no-show:"
                + " do not open ImageJ even with a display)";
    }

    @Override
    public Set<String> flags() {
        return Set.of("no-show");
    }

    @Override
    public int run(CliArgs args) throws Exception {
        // The stream current at run time, so that tests and callers can redirect System.out.
        PrintStream out = System.out;
        Path home = home();
        Path outDir = Paths.get(args.get("out", "demo-output"));
        Path samples = samplesDir();
        Path imagePath = args.has("image") ? args.getPath("image") : samples.resolve(SAMPLE);
        Path bundled = ModelDirectories.bundledRoot();
        Path models = args.has("models") ? args.getPath("models") : bundled != null ? bundled : home.resolve("models");
        boolean show = !args.flag("no-show") && DemoViewer.hasDisplay(System.getenv(), System.getProperty("os.name"));
        args.rejectUnknown();
        long start = System.nanoTime();
        DemoRun demo = new DemoRun(outDir, home, models, samples, imagePath);
        demo.checkModels();
        Files.createDirectories(outDir);

        out.println("ij-genai demo: bundled models from " + demo.display(models) + ", offline; writing "
                + demo.out());
        List<DemoItem> items = new ArrayList<>();
        items.add(report(out, demo.forwardDiffusion()));
        items.add(report(out, demo.textToImage()));
        items.add(report(out, demo.imageToImage()));
        items.add(report(out, demo.generativeFill()));
        items.add(report(out, demo.generativeExpand()));
        items.add(report(out, demo.attentionMaps()));
        items.add(report(out, demo.clipSearch()));
        items.add(report(out, demo.inkGan()));
        items.add(report(out, demo.ganWalk()));
        items.add(report(out, demo.segmentation()));
        double seconds = (System.nanoTime() - start) / 1e9;
        String subtitle = String.format(Locale.ROOT, "%s · bundled models in %s · offline · %.1f s in all",
                ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT)),
                demo.display(models), seconds);
        Path page = DemoPage.write(demo.out(), items, subtitle);
        Path macro = DemoViewer.writeMacro(demo.out(), items);
        out.println("  " + page + "  (open it in a browser)");
        out.println(String.format(Locale.ROOT, "done in %.1f s", seconds));
        if (show) {
            out.println(DemoViewer.show(home, macro));
        }
        return 0;
    }

    /** Prints one line per section: its time and files, or why it was skipped. */
    private static DemoItem report(PrintStream out, DemoItem item) {
        if (!item.ran()) {
            out.println(String.format(Locale.ROOT, "  %-34s skipped: %s", item.title(), item.text()));
            return item;
        }
        List<String> names = new ArrayList<>();
        for (DemoItem.Output file : item.files()) {
            names.add(file.file());
        }
        out.println(String.format(Locale.ROOT, "  %-34s %5.1f s  %s", item.title(), item.seconds(),
                String.join(", ", names)));
        return item;
    }

    /** The installation folder ({@code -Dijgenai.home}, set by {@code bin/ij-genai}) or the working directory. */
    static Path home() {
        String home = System.getProperty("ijgenai.home");
        return (home == null ? Paths.get("") : Paths.get(home)).toAbsolutePath();
    }

    /**
     * The bundled samples: {@code samples/} under the launcher's home ({@code -Dijgenai.home}, set by
     * {@code bin/ij-genai}) or the working directory.
     */
    static Path samplesDir() {
        Path samples = home().resolve("samples");
        if (!Files.isDirectory(samples)) {
            throw new GenAiException("the bundled samples are not at " + samples + "; run the demo with the"
                    + " launcher of an ij-genai installation (bin/ij-genai demo)");
        }
        return samples;
    }
}
