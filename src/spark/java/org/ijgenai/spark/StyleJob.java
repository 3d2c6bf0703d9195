package org.ijgenai.spark;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.style.StyleDescriptor;
import org.ijgenai.core.style.StyleOptions;
import org.ijgenai.core.style.StyleTransfer;
import org.ijgenai.imagej.StyleImages;

import ij.ImagePlus;

/**
 * Style transfer as a Spark job: each image goes through {@link StyleImages#stylize}, as
 * {@code ij-genai style} runs it, and the result is written under {@code PREFIX/styled/}; the {@code styled}
 * table lists the outputs.
 */
public final class StyleJob extends ImageJob {

    private static final long serialVersionUID = 1L;

    /** The job's name, as in {@code bin/ij-genai spark style}. */
    static final String NAME = "style";

    /** The per-image table: the output file and its size. */
    static final ParquetTable STYLED = new ParquetTable("styled", JobRunner.concat(JobRunner.COMMON, List.of(
            new ParquetTable.Column("output", ParquetTable.Kind.STRING),
            new ParquetTable.Column("width", ParquetTable.Kind.INT),
            new ParquetTable.Column("height", ParquetTable.Kind.INT))));

    private final double strength;
    private final int tile;
    private final String format;

    StyleJob(String modelPath, double strength, int tile, String format, int threadsPerTask, long maxBytes,
            long maxPixels) {
        super(NAME, STYLED, modelPath, threadsPerTask, maxBytes, maxPixels);
        this.format = format.toLowerCase(Locale.ROOT);
        if (!List.of("png", "tif", "jpg").contains(this.format)) {
            throw new IllegalArgumentException("--format must be png, tif or jpg, was " + format);
        }
        new StyleOptions(strength, tile, -1);
        identify(StyleDescriptor.resolve(Paths.get(modelPath), null).name(), ModelHash.of(Paths.get(modelPath)));
        this.strength = strength;
        this.tile = tile;
    }

    /** spark-submit entry point: the arguments of {@code bin/ij-genai spark style}. */
    public static void main(String[] args) {
        SparkCli.main(SparkCli.withJob(NAME, args));
    }

    @Override
    Outcome process(List<InputImage> images, Context context) throws IOException {
        Outcome outcome = Outcome.empty();
        StyleOptions options = new StyleOptions(strength, tile, -1);
        try (ExecutorModels.Lease<StyleTransfer> lease = borrowModel(settings -> StyleTransfer.open(
                StyleDescriptor.resolve(Paths.get(modelPath()), null), settings))) {
            forEachImagePlus(images, context, outcome, "cannot restyle", (image, imp) -> {
                String suffix = imp.getStackSize() > 1 ? ".tif" : "." + format;
                ImagePlus result = StyleImages.stylize(imp, lease.get(), options, true, ProgressListener.NONE,
                        CancellationToken.NONE);
                String output = ImageOutputs.save(result, image, "styled", suffix, context);
                return new Object[] {output, result.getWidth(), result.getHeight()};
            });
        }
        return outcome;
    }
}
