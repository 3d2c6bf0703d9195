package org.ijgenai.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.segment.SegmentationModel;
import org.ijgenai.core.style.StyleDescriptor;
import org.ijgenai.core.style.StyleOptions;
import org.ijgenai.core.style.StyleTransfer;
import org.ijgenai.imagej.SegmentationRun;
import org.ijgenai.imagej.StyleImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ImageProcessor;

/**
 * The segmentation and style jobs in local[2] mode give, per image, what the single-image commands give on the
 * same file, write their outputs under the prefix, record bad files as errors, and skip finished images on a
 * rerun.
 */
class SparkSegmentStyleIT {

    private static final Path SEGMENT_RESOURCES = Path.of("src/test/resources/org/ijgenai/core/segment");
    private static final Path INK_GAN = Path.of("models/ink-gan");

    @TempDir
    Path tmp;

    @Test
    void segmentJobCountsTheObjectsTheSegmentCommandFinds() throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path images = Files.createDirectories(tmp.resolve("images"));
        Path blobs = SEGMENT_RESOURCES.resolve("blobs.png");
        Files.copy(blobs, images.resolve("a.png"));
        ImagePlus flipped = IJ.openImage(blobs.toString());
        flipped.getProcessor().flipHorizontal();
        new FileSaver(flipped).saveAsPng(images.resolve("b.png").toString());
        TestImages.corrupt(images.resolve("bad"), blobs);
        Path model = SEGMENT_RESOURCES.resolve("blobs_sigmoid.json");
        Path out = tmp.resolve("out");
        String first = SparkJobs.run("segment", "--model", model.toString(), "--input", images.toString(), "--out",
                out.toString(), "--threshold", "0.5", "--per-partition", "2");
        assertTrue(first.contains("2 processed, 3 error(s)"), first);
        String second = SparkJobs.run("segment", "--model", model.toString(), "--input", images.toString(), "--out",
                out.toString(), "--threshold", "0.5");
        assertTrue(second.contains("5 already done, 0 processed"), second);

        SparkSession spark = SparkJobs.session();
        try {
            List<Row> rows = spark.read().parquet(out.resolve("segments").toString()).orderBy("path")
                    .collectAsList();
            assertEquals(2, rows.size());
            try (SegmentationModel segmenter = SegmentationModel.open(model, SessionSettings.DEFAULT)) {
                for (Row row : rows) {
                    ImagePlus imp = IJ.openImage(row.getString(0));
                    SegmentationRun.Outputs expected = SegmentationRun.run(imp, segmenter,
                            new SegmentationRun.Options(0.5, 0, 0, true, false, true, true, true),
                            ProgressListener.NONE, CancellationToken.NONE);
                    int[] areas = SegmentJob.areas(expected.labels().getStack());
                    assertTrue(areas.length > 1, "the blobs image has several objects");
                    assertEquals(areas.length, row.getInt(row.fieldIndex("objects")), row.getString(0));
                    assertEquals(expected.rois().size(), areas.length);
                    List<Integer> stored = row.getList(row.fieldIndex("areas"));
                    assertArrayEquals(areas, stored.stream().mapToInt(Integer::intValue).toArray());
                    ImagePlus mask = IJ.openImage(Path.of(URI.create(row.getString(row.fieldIndex("mask"))))
                            .toString());
                    assertArrayEquals((byte[]) expected.mask().getProcessor().getPixels(),
                            (byte[]) mask.getProcessor().getPixels(), "mask of " + row.getString(0));
                    assertTrue(Files.size(Path.of(URI.create(row.getString(row.fieldIndex("rois"))))) > 0);
                }
            }
            assertEquals(3, spark.read().parquet(out.resolve("errors").toString()).count());
        } finally {
            spark.stop();
        }
    }

    @Test
    void styleJobWritesWhatTheStyleCommandDraws() throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path images = tmp.resolve("images");
        List<Path> drawn = TestImages.shapes(images, 6, 3);
        TestImages.corrupt(images.resolve("bad"), drawn.get(0));
        Path huge = images.resolve("bad/huge.png");
        TestImages.draw(huge, "circle", java.awt.Color.RED, java.awt.Color.BLUE, 24, 0, 0);
        ImagePlus big = IJ.openImage(huge.toString());
        big.setProcessor(big.getProcessor().resize(300, 300));
        new FileSaver(big).saveAsPng(huge.toString());
        Path out = tmp.resolve("out");
        String run = SparkJobs.run("style", "--model", INK_GAN.toString(), "--input", images.toString(), "--out",
                out.toString(), "--per-partition", "3", "--max-pixels", "50000");
        assertTrue(run.contains("6 processed, 4 error(s)"), run);
        SparkSession spark = SparkJobs.session();
        try {
            Row tooLarge = spark.read().parquet(out.resolve("errors").toString())
                    .filter(org.apache.spark.sql.functions.col("path").endsWith("huge.png")).first();
            assertEquals("image too large: 300×300 = 90000 pixels, the limit is 50000 (--max-pixels)",
                    tooLarge.getString(tooLarge.fieldIndex("reason")));
        } finally {
            spark.stop();
        }
        try (StyleTransfer transfer = StyleTransfer.open(StyleDescriptor.resolve(INK_GAN, null),
                SessionSettings.DEFAULT)) {
            for (Path image : drawn) {
                ImagePlus expected = StyleImages.stylize(IJ.openImage(image.toString()), transfer,
                        new StyleOptions(1.0, 0, -1), true, ProgressListener.NONE, CancellationToken.NONE);
                Path written = out.resolve("styled").resolve(image.toAbsolutePath().toString().substring(1) + ".png");
                ImageProcessor actual = IJ.openImage(written.toString()).getProcessor();
                int[] a = (int[]) expected.getProcessor().getPixels();
                int[] b = (int[]) actual.convertToRGB().getPixels();
                assertArrayEquals(a, b, "styled " + image);
            }
        }
    }
}
