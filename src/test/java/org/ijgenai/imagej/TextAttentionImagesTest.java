package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

import org.ijgenai.core.attention.TextEncoderAttention;
import org.junit.jupiter.api.Test;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.process.ColorProcessor;

/**
 * The text-encoder attention matrices carry their token labels on the true axes: each row's token in the left
 * margin beside its row, each column's token in the top margin above its column, checked where ImageJ actually
 * draws them (the overlay flattened), and the matrix values in their cells right of and below the NaN margins.
 */
class TextAttentionImagesTest {

    /** Five tokens of which "background" is long, two layers of two heads, each value distinct. */
    private static TextEncoderAttention attention(int tokens) {
        List<String> names = new ArrayList<>();
        names.add("<|startoftext|>");
        for (int i = 1; i < tokens - 1; i++) {
            names.add(i == 2 ? "background</w>" : "w" + i + "</w>");
        }
        names.add("<|endoftext|>");
        List<float[]> layers = new ArrayList<>();
        for (int layer = 0; layer < 2; layer++) {
            float[] m = new float[2 * tokens * tokens];
            for (int i = 0; i < m.length; i++) {
                m[i] = (layer * m.length + i) / 1000f;
            }
            layers.add(m);
        }
        return new TextEncoderAttention(names, List.of("l0", "l1"), 2, layers, new float[tokens * 8],
                new float[tokens * 8], 8);
    }

    /** The bounding box of the pixels label {@code roi} alone draws on a black canvas of the image's size. */
    private static Rectangle drawn(ImagePlus imp, Roi roi) {
        ImagePlus canvas = new ImagePlus("c", new ColorProcessor(imp.getWidth(), imp.getHeight()));
        canvas.setOverlay(new Overlay(roi));
        int[] p = (int[]) canvas.flatten().getProcessor().getPixels();
        Rectangle box = null;
        for (int y = 0; y < imp.getHeight(); y++) {
            for (int x = 0; x < imp.getWidth(); x++) {
                if ((p[y * imp.getWidth() + x] & 0xffffff) != 0) {
                    box = box == null ? new Rectangle(x, y, 1, 1) : box.union(new Rectangle(x, y, 1, 1));
                }
            }
        }
        assertTrue(box != null, roi.getName() + " draws nothing");
        return box;
    }

    private static void assertWithin(Rectangle r, int x0, int x1, int y0, int y1, String what) {
        assertTrue(r.x >= x0 && r.x + r.width <= x1 && r.y >= y0 && r.y + r.height <= y1,
                what + " [" + x0 + ", " + x1 + ") × [" + y0 + ", " + y1 + "): drawn at " + r);
    }

    @Test
    void rowLabelsSitLeftOfTheirRowsAndColumnLabelsAboveTheirColumns() {
        for (int tokens : new int[] {5, 20}) {
            TextEncoderAttention a = attention(tokens);
            ImagePlus imp = TextAttentionImages.attention(a, "t");
            TextAttentionImages.Layout layout = TextAttentionImages.layout(a, true);
            int c = layout.cell();
            assertTrue(c >= TextAttentionImages.MIN_CELL, "cells of " + c + " px fit a readable label");
            assertEquals(layout.left() + tokens * c, imp.getWidth());
            assertEquals(layout.top() + tokens * c, imp.getHeight());
            Overlay overlay = imp.getOverlay();
            assertEquals(2 * tokens, overlay.size(), "one row and one column label per token");
            for (int i = 0; i < tokens; i++) {
                Roi row = overlay.get("row " + i);
                Roi column = overlay.get("column " + i);
                String text = TextAttentionImages.label(a, i);
                assertEquals(text, ((ij.gui.TextRoi) row).getText().strip());
                assertEquals(text, ((ij.gui.TextRoi) column).getText().strip());
                Rectangle r = drawn(imp, row);
                assertWithin(r, 0, layout.left(), layout.top() + i * c, layout.top() + (i + 1) * c,
                        "row label " + i + ": in the left margin, within row " + i);
                Rectangle k = drawn(imp, column);
                assertWithin(k, layout.left() + i * c, layout.left() + (i + 1) * c, 0, layout.top(),
                        "column label " + i + ": in the top margin, within column " + i);
                assertTrue(k.height > k.width, "column label " + i + " reads upwards: " + k);
            }
            // "SOT" is the first row's and column's label, the long word is not cut.
            assertEquals("SOT", TextAttentionImages.label(a, 0));
            assertEquals("background", TextAttentionImages.label(a, 2));
        }
    }

    @Test
    void matrixValuesFillTheirCellsAndTheMarginsAreNaN() {
        TextEncoderAttention a = attention(5);
        ImagePlus imp = TextAttentionImages.attention(a, "t");
        TextAttentionImages.Layout layout = TextAttentionImages.layout(a, true);
        int c = layout.cell();
        // Layer 2, head 1 is the third slice (z = head, t = layer): query 3 attending to key 1.
        imp.setPosition(1, 1, 2);
        float[] m = a.matrix(1, 0);
        float value = imp.getProcessor().getf(layout.left() + 1 * c + c / 2, layout.top() + 3 * c + c / 2);
        assertEquals(m[3 * 5 + 1], value, 0f);
        assertTrue(Float.isNaN(imp.getProcessor().getf(2, layout.top() + c / 2)), "left margin");
        assertTrue(Float.isNaN(imp.getProcessor().getf(layout.left() + c / 2, 2)), "top margin");
        // The calibration reads the cursor in tokens from the matrix's corner.
        assertEquals(3.5, imp.getCalibration().getY(layout.top() + 3.5 * c), 1e-9);
        assertEquals(1.0, imp.getCalibration().getX(layout.left() + c), 1e-9);
        ImagePlus embeddings = TextAttentionImages.embeddings(a, "t");
        assertEquals(TextAttentionImages.layout(a, false).left() + 8, embeddings.getWidth());
        assertEquals(5, embeddings.getOverlay().size(), "one row label per token");
    }
}
