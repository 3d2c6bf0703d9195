package org.ijgenai.spark;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.List;
import java.util.TreeMap;

import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.segment.SegmentationModel;
import org.ijgenai.imagej.RoiSets;
import org.ijgenai.imagej.SegmentationRun;

import ij.ImageStack;
import ij.process.ImageProcessor;

/**
 * Segmentation as a Spark job: each image goes through {@link SegmentationRun#run}, exactly as
 * {@code ij-genai segment} and Segment (CNN)... run it, and its mask, label image and ROI set are written under
 * {@code PREFIX/masks/}, {@code PREFIX/labels/} and {@code PREFIX/rois/}; the {@code segments} table holds each
 * image's object count and areas.
 */
public final class SegmentJob extends ImageJob {

    private static final long serialVersionUID = 1L;

    /** The job's name, as in {@code bin/ij-genai spark segment}. */
    static final String NAME = "segment";

    /** The per-image table: size, object count, foreground area, the area of each object, and the outputs. */
    static final ParquetTable SEGMENTS = new ParquetTable("segments", JobRunner.concat(JobRunner.COMMON, List.of(
            new ParquetTable.Column("width", ParquetTable.Kind.INT),
            new ParquetTable.Column("height", ParquetTable.Kind.INT),
            new ParquetTable.Column("objects", ParquetTable.Kind.INT),
            new ParquetTable.Column("foreground_area", ParquetTable.Kind.LONG),
            new ParquetTable.Column("areas", ParquetTable.Kind.INTS),
            new ParquetTable.Column("mask", ParquetTable.Kind.STRING),
            new ParquetTable.Column("labels", ParquetTable.Kind.STRING),
            new ParquetTable.Column("rois", ParquetTable.Kind.STRING))));

    private final double threshold;
    private final int minSize;
    private final int tile;

    SegmentJob(String modelPath, double threshold, int minSize, int tile, int threadsPerTask, long maxBytes,
            long maxPixels) {
        super(NAME, SEGMENTS, modelPath, threadsPerTask, maxBytes, maxPixels);
        // Validates the options and the model on the driver, before any task starts.
        new SegmentationRun.Options(threshold, minSize, tile, true, false, true, true, true);
        try (SegmentationModel model = SegmentationModel.open(Paths.get(modelPath), SessionSettings.DEFAULT)) {
            identify(model.descriptor().name(), ModelHash.of(Paths.get(modelPath)));
        }
        this.threshold = threshold;
        this.minSize = minSize;
        this.tile = tile;
    }

    /** spark-submit entry point: the arguments of {@code bin/ij-genai spark segment}. */
    public static void main(String[] args) {
        SparkCli.main(SparkCli.withJob(NAME, args));
    }

    @Override
    Outcome process(List<InputImage> images, Context context) throws IOException {
        Outcome outcome = Outcome.empty();
        SegmentationRun.Options options = new SegmentationRun.Options(threshold, minSize, tile, true, false, true,
                true, true);
        try (ExecutorModels.Lease<SegmentationModel> lease = borrowModel(settings -> SegmentationModel.open(
                Paths.get(modelPath()), settings))) {
            forEachImagePlus(images, context, outcome, "cannot segment", (image, imp) -> {
                SegmentationRun.Outputs out = SegmentationRun.run(imp, lease.get(), options, ProgressListener.NONE,
                        CancellationToken.NONE);
                int[] areas = areas(out.labels().getStack());
                long foreground = 0;
                for (int a : areas) {
                    foreground += a;
                }
                String mask = ImageOutputs.save(out.mask(), image, "masks", ".mask.tif", context);
                String labels = ImageOutputs.save(out.labels(), image, "labels", ".labels.tif", context);
                String rois = "";
                if (!out.rois().isEmpty()) {
                    java.nio.file.Path zip = context.scratch().resolve("rois.zip");
                    RoiSets.save(out.rois(), zip);
                    rois = ImageOutputs.upload(zip, image, "rois", ".rois.zip", context);
                }
                return new Object[] {imp.getWidth(), imp.getHeight(), areas.length, foreground, areas, mask, labels,
                    rois};
            });
        }
        return outcome;
    }

    /** The pixel count of each object (label > 0) over every slice, in label order per slice. */
    static int[] areas(ImageStack labels) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int s = 1; s <= labels.getSize(); s++) {
            ImageProcessor ip = labels.getProcessor(s);
            TreeMap<Integer, Integer> counts = new TreeMap<>();
            for (int i = 0; i < ip.getPixelCount(); i++) {
                int label = Math.round(ip.getf(i));
                if (label > 0) {
                    counts.merge(label, 1, Integer::sum);
                }
            }
            out.addAll(counts.values());
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
