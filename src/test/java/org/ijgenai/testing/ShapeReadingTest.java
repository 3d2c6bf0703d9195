package org.ijgenai.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.awt.Polygon;

import ij.gui.OvalRoi;
import ij.gui.PolygonRoi;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import org.junit.jupiter.api.Test;

/** The Java shape reader on shapes drawn like the training set's (tools/train/shapes_dataset.py), 64×64. */
class ShapeReadingTest {

    private static ColorProcessor picture(String background, String colour, Roi shape) {
        ColorProcessor cp = new ColorProcessor(64, 64);
        int[] bg = ShapeReading.COLOURS.get(background);
        int[] fg = ShapeReading.COLOURS.get(colour);
        cp.setColor(new Color(bg[0], bg[1], bg[2]));
        cp.fill();
        cp.setColor(new Color(fg[0], fg[1], fg[2]));
        cp.fill(shape);
        return cp;
    }

    /** A five-pointed star of outer radius r and inner radius 0.4 r, point up, as the dataset draws it. */
    private static Roi star(double cx, double cy, double r) {
        Polygon p = new Polygon();
        for (int k = 0; k < 10; k++) {
            double radius = k % 2 == 0 ? r : 0.4 * r;
            double angle = -Math.PI / 2 + k * Math.PI / 5;
            p.addPoint((int) Math.round(cx + radius * Math.cos(angle)), (int) Math.round(cy + radius * Math.sin(angle)));
        }
        return new PolygonRoi(p, Roi.POLYGON);
    }

    @Test
    void aYellowStarOnBlueHasFivePoints() {
        assertEquals(new ShapeReading.Reading("yellow", "blue", 1, 5),
                ShapeReading.read(picture("blue", "yellow", star(30, 34, 18))));
    }

    @Test
    void aRedCircleOnBlueHasNone() {
        assertEquals(new ShapeReading.Reading("red", "blue", 1, 0),
                ShapeReading.read(picture("blue", "red", new OvalRoi(14, 12, 38, 38))));
    }

    @Test
    void aSquareHasFourCornersAndTwoShapesAreCounted() {
        assertEquals(new ShapeReading.Reading("green", "white", 1, 4),
                ShapeReading.read(picture("white", "green", new Roi(16, 18, 30, 30))));
        ColorProcessor two = picture("black", "red", new OvalRoi(6, 6, 16, 16));
        two.fill(new OvalRoi(40, 40, 16, 16));
        assertEquals(2, ShapeReading.read(two).objects());
    }
}
