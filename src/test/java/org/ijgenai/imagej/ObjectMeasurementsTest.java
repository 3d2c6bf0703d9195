package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Roi;
import ij.gui.Wand;
import ij.measure.Calibration;
import ij.measure.Measurements;
import ij.measure.ResultsTable;
import ij.process.ByteProcessor;
import ij.process.ImageProcessor;
import ij.process.ImageStatistics;
import ij.process.ShortProcessor;

/** Object measurements agree with ImageJ's own statistics of each object's traced ROI, in calibrated units. */
class ObjectMeasurementsTest {

    /** Three objects (a rectangle, a disk, an L) on a 40×30 label image, with a ramp as the measured image. */
    private static ImageProcessor labels() {
        ShortProcessor ip = new ShortProcessor(40, 30);
        for (int y = 2; y < 8; y++) {
            for (int x = 3; x < 12; x++) {
                ip.set(x, y, 1);
            }
        }
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                if ((x - 28) * (x - 28) + (y - 18) * (y - 18) <= 36) {
                    ip.set(x, y, 2);
                }
            }
        }
        for (int y = 15; y < 28; y++) {
            ip.set(5, y, 3);
            ip.set(6, y, 3);
        }
        for (int x = 5; x < 15; x++) {
            ip.set(x, 27, 3);
        }
        return ip;
    }

    private static ImagePlus rampImage() {
        ByteProcessor ip = new ByteProcessor(40, 30);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                ip.set(x, y, (3 * x + 7 * y) % 256);
            }
        }
        ImagePlus imp = new ImagePlus("ramp", ip);
        Calibration cal = new Calibration();
        cal.pixelWidth = 0.5;
        cal.pixelHeight = 0.25;
        cal.xOrigin = 4;
        cal.yOrigin = 2;
        cal.setUnit("µm");
        imp.setCalibration(cal);
        return imp;
    }

    @Test
    void areaCentroidBoundsAndMeanMatchImageJStatisticsOfEachObject() {
        ImageProcessor labels = labels();
        ImagePlus image = rampImage();
        ResultsTable table = ObjectMeasurements.measure(new ImagePlus("labels", labels), image, false);
        assertEquals(3, table.size());
        int flags = Measurements.AREA | Measurements.CENTROID | Measurements.MEAN | Measurements.RECT;
        for (int row = 0; row < 3; row++) {
            int label = (int) table.getValue("Label", row);
            assertEquals(row + 1, label);
            Wand wand = new Wand(labels);
            int[] first = firstPixel(labels, label);
            wand.autoOutline(first[0], first[1], label, label, Wand.EIGHT_CONNECTED);
            Roi roi = new ij.gui.PolygonRoi(wand.xpoints, wand.ypoints, wand.npoints, Roi.TRACED_ROI);
            image.setRoi(roi);
            ImageStatistics stats = image.getStatistics(flags);
            assertEquals(stats.pixelCount, (long) table.getValue("Pixels", row), "pixels of " + label);
            assertEquals(stats.area, table.getValue("Area", row), 1e-9, "area of " + label);
            assertEquals(stats.xCentroid, table.getValue("X", row), 1e-9, "X of " + label);
            assertEquals(stats.yCentroid, table.getValue("Y", row), 1e-9, "Y of " + label);
            assertEquals(stats.roiX, table.getValue("BX", row), 1e-9, "BX of " + label);
            assertEquals(stats.roiY, table.getValue("BY", row), 1e-9, "BY of " + label);
            assertEquals(stats.roiWidth, table.getValue("Width", row), 1e-9, "width of " + label);
            assertEquals(stats.roiHeight, table.getValue("Height", row), 1e-9, "height of " + label);
            assertEquals(stats.mean, table.getValue("Mean", row), 1e-9, "mean of " + label);
        }
        // By hand: the rectangle is 9×6 pixels of 0.5×0.25 µm.
        assertEquals(54, (long) table.getValue("Pixels", 0));
        assertEquals(54 * 0.125, table.getValue("Area", 0), 1e-12);
        assertEquals((7.5 - 4) * 0.5, table.getValue("X", 0), 1e-12);
    }

    @Test
    void everySliceOfAStackIsMeasuredWithItsSliceNumber() {
        ImageStack labels = new ImageStack(40, 30);
        labels.addSlice(labels());
        ImageProcessor second = new ShortProcessor(40, 30);
        second.set(1, 1, 1);
        labels.addSlice(second);
        ImageStack images = new ImageStack(40, 30);
        images.addSlice(rampImage().getProcessor());
        images.addSlice(rampImage().getProcessor());
        ResultsTable table = ObjectMeasurements.measure(new ImagePlus("labels", labels), new ImagePlus("s", images),
                true);
        assertEquals(4, table.size());
        assertEquals(2, (int) table.getValue("Slice", 3));
        assertEquals(1, (long) table.getValue("Pixels", 3));
        String text = ObjectMeasurements.text(table, false);
        assertEquals("Slice\tLabel\tPixels\tArea\tX\tY\tBX\tBY\tWidth\tHeight\tMean", text.lines().findFirst()
                .orElseThrow());
        assertEquals(5, text.lines().count());
    }

    @Test
    void aLabelImageThatDoesNotMatchTheSegmentedPositionsIsRefused() {
        ImageStack images = new ImageStack(40, 30);
        images.addSlice(rampImage().getProcessor());
        images.addSlice(rampImage().getProcessor());
        assertThrows(IllegalArgumentException.class, () -> ObjectMeasurements.measure(
                new ImagePlus("labels", labels()), new ImagePlus("s", images), true));
    }

    private static int[] firstPixel(ImageProcessor ip, int label) {
        for (int y = 0; y < ip.getHeight(); y++) {
            for (int x = 0; x < ip.getWidth(); x++) {
                if (ip.get(x, y) == label) {
                    return new int[] {x, y};
                }
            }
        }
        throw new AssertionError("no pixel of " + label);
    }
}
