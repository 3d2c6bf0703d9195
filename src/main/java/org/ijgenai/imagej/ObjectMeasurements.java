package org.ijgenai.imagej;

import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.measure.ResultsTable;
import ij.process.ImageProcessor;

/**
 * Per-object measurements of a segmentation's label image: area, centroid and bounding box in the image's
 * calibrated units, and the mean of the segmented image over each object, as ImageJ's Measure would give them for
 * the object's pixels; one row per object and slice.
 */
public final class ObjectMeasurements {

    /** The table's columns, in order. */
    public static final List<String> COLUMNS = List.of("Slice", "Label", "Pixels", "Area", "X", "Y", "BX", "BY",
            "Width", "Height", "Mean");

    private ObjectMeasurements() {}

    /**
     * Measures every object of {@code labels} (the label output of {@link SegmentationRun#run} for {@code image}
     * with the same {@code allSlices}); the mean is of the segmented channel (the first of a multi-channel image)
     * and, for RGB, of ImageJ's luminance.
     */
    public static ResultsTable measure(ImagePlus labels, ImagePlus image, boolean allSlices) {
        List<Integer> positions = SegmentationRun.positions(image, allSlices);
        if (positions.size() != labels.getStackSize()) {
            throw new IllegalArgumentException("the label image has " + labels.getStackSize() + " slice(s) but "
                    + positions.size() + " position(s) were segmented");
        }
        Calibration cal = image.getCalibration();
        ResultsTable table = new ResultsTable();
        table.showRowNumbers(false);
        for (int n = 0; n < positions.size(); n++) {
            addSlice(table, n + 1, labels.getStack().getProcessor(n + 1),
                    image.getStack().getProcessor(positions.get(n)), cal);
        }
        return table;
    }

    private static void addSlice(ResultsTable table, int slice, ImageProcessor labels, ImageProcessor image,
            Calibration cal) {
        int width = labels.getWidth();
        int count = 0;
        for (int i = 0; i < labels.getPixelCount(); i++) {
            count = Math.max(count, Math.round(labels.getf(i)));
        }
        long[] pixels = new long[count + 1];
        double[] sumX = new double[count + 1];
        double[] sumY = new double[count + 1];
        double[] sum = new double[count + 1];
        int[] minX = new int[count + 1];
        int[] minY = new int[count + 1];
        int[] maxX = new int[count + 1];
        int[] maxY = new int[count + 1];
        java.util.Arrays.fill(minX, Integer.MAX_VALUE);
        java.util.Arrays.fill(minY, Integer.MAX_VALUE);
        java.util.Arrays.fill(maxX, -1);
        java.util.Arrays.fill(maxY, -1);
        for (int i = 0; i < labels.getPixelCount(); i++) {
            int label = Math.round(labels.getf(i));
            if (label <= 0) {
                continue;
            }
            int x = i % width;
            int y = i / width;
            pixels[label]++;
            // Pixel centres, as ImageJ's centroid.
            sumX[label] += x + 0.5;
            sumY[label] += y + 0.5;
            sum[label] += image.getPixelValue(x, y);
            minX[label] = Math.min(minX[label], x);
            minY[label] = Math.min(minY[label], y);
            maxX[label] = Math.max(maxX[label], x);
            maxY[label] = Math.max(maxY[label], y);
        }
        for (int label = 1; label <= count; label++) {
            if (pixels[label] == 0) {
                continue;
            }
            table.incrementCounter();
            table.addValue("Slice", slice);
            table.addValue("Label", label);
            table.addValue("Pixels", pixels[label]);
            table.addValue("Area", pixels[label] * cal.pixelWidth * cal.pixelHeight);
            table.addValue("X", cal.getX(sumX[label] / pixels[label]));
            table.addValue("Y", cal.getY(sumY[label] / pixels[label], image.getHeight()));
            table.addValue("BX", cal.getX(minX[label]));
            table.addValue("BY", cal.getY(minY[label], image.getHeight()));
            table.addValue("Width", (maxX[label] - minX[label] + 1) * cal.pixelWidth);
            table.addValue("Height", (maxY[label] - minY[label] + 1) * cal.pixelHeight);
            table.addValue("Mean", sum[label] / pixels[label]);
        }
    }

    /** The table as text with a header line, separated by tabs (or commas for {@code csv}), for files. */
    public static String text(ResultsTable table, boolean csv) {
        String separator = csv ? "," : "\t";
        StringBuilder out = new StringBuilder(String.join(separator, COLUMNS)).append('\n');
        for (int row = 0; row < table.size(); row++) {
            for (int c = 0; c < COLUMNS.size(); c++) {
                double value = table.getValue(COLUMNS.get(c), row);
                out.append(c == 0 ? "" : separator).append(c < 3 ? String.format(Locale.ROOT, "%d", (long) value)
                        : String.format(Locale.ROOT, "%.6g", value));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
