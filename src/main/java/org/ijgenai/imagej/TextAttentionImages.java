package org.ijgenai.imagej;

import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.font.FontRenderContext;

import org.ijgenai.core.attention.TextEncoderAttention;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.TextRoi;
import ij.measure.Calibration;
import ij.process.FloatProcessor;

/**
 * The ImagePlus forms of a text encoder's attention, shared by the Text Encoder Attention command and
 * {@code ij-genai text-attention}: a hyperstack of token × token matrices (z = head, t = layer), each token a square
 * cell, on a canvas whose left margin names each row's token and whose top margin names each column's token (read
 * bottom to top), and the token and positional embeddings as token × dimension images with the tokens named in the
 * left margin. Margins hold NaN, so ImageJ's measurements see only the matrix; the calibration makes the cursor read
 * token indices.
 */
public final class TextAttentionImages {

    /** The smallest cell, in pixels, at which a token's label fits beside its row. */
    static final int MIN_CELL = 12;
    /** The gap between a label and the matrix, in pixels. */
    static final int GAP = 3;

    private TextAttentionImages() {
    }

    /** The cell side in pixels for {@code tokens} tokens: about 320 pixels in all, at least {@link #MIN_CELL}. */
    static int cell(int tokens) {
        return Math.max(MIN_CELL, 320 / tokens);
    }

    /**
     * Where a matrix and its labels go on the canvas.
     *
     * @param left the left margin (row labels), in pixels
     * @param top the top margin (column labels), in pixels; 0 when the columns are not tokens
     * @param cell the side of one token's cell (its row height)
     * @param font the labels' font, small enough that a label fits its row or column
     */
    record Layout(int left, int top, int cell, Font font) {

        /** The vertical (row) or horizontal (column) span of token {@code i}'s cell, {start, end} exclusive. */
        int[] span(int i, boolean row) {
            int origin = row ? top : left;
            return new int[] {origin + i * cell, origin + (i + 1) * cell};
        }
    }

    /** The layout for the labels of {@code a}: margins as wide as the longest label, plus the gap. */
    static Layout layout(TextEncoderAttention a, boolean columns) {
        int c = cell(a.used());
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, Math.min(14, c - 2));
        int longest = 0;
        FontRenderContext context = new FontRenderContext(null, true, true);
        for (int i = 0; i < a.used(); i++) {
            longest = Math.max(longest, (int) Math.ceil(font.getStringBounds(label(a, i), context).getWidth()));
        }
        int margin = longest + 2 * GAP + 4;
        return new Layout(margin, columns ? margin : 0, c, font);
    }

    /**
     * The attention matrices: row = the attending token (query), column = the attended token (key); z = head,
     * t = layer; 32-bit, one value per cell, the tokens named on both axes.
     */
    public static ImagePlus attention(TextEncoderAttention a, String title) {
        int n = a.used();
        Layout layout = layout(a, true);
        int c = layout.cell();
        ImageStack stack = new ImageStack(layout.left() + n * c, layout.top() + n * c);
        for (int layer = 0; layer < a.layers().size(); layer++) {
            for (int head = 0; head < a.heads(); head++) {
                stack.addSlice("layer " + (layer + 1) + " · head " + (head + 1) + " (" + a.layers().get(layer) + ")",
                        onCanvas(a.matrix(layer, head), n, n, c, c, layout));
            }
        }
        ImagePlus imp = new ImagePlus(title + "-text-attention", stack);
        imp.setDimensions(1, a.heads(), a.layers().size());
        imp.setOpenAsHyperStack(true);
        imp.setOverlay(labels(a, layout));
        calibrate(imp, layout, true);
        imp.setProperty("Info", info(a, "row = attending token (query), named on the left; column = attended token"
                + " (key), named on top; cell " + c + " px; the matrix starts at x = " + layout.left() + ", y = "
                + layout.top() + " (the margins are NaN)"));
        imp.setDisplayRange(0, 1);
        return imp;
    }

    /** Token embeddings, positional embeddings and their sum (the encoder's input): rows = tokens, 32-bit. */
    public static ImagePlus embeddings(TextEncoderAttention a, String title) {
        int n = a.used();
        Layout layout = layout(a, false);
        int rowHeight = layout.cell();
        int w = a.width();
        float[] sum = new float[n * w];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = a.tokenEmbeddings()[i] + a.positionEmbeddings()[i];
        }
        ImageStack stack = new ImageStack(layout.left() + w, n * rowHeight);
        stack.addSlice("token embedding", onCanvas(a.tokenEmbeddings(), n, w, rowHeight, 1, layout));
        stack.addSlice("positional embedding", onCanvas(a.positionEmbeddings(), n, w, rowHeight, 1, layout));
        stack.addSlice("token + positional (the encoder's input)", onCanvas(sum, n, w, rowHeight, 1, layout));
        ImagePlus imp = new ImagePlus(title + "-embeddings", stack);
        imp.setOverlay(labels(a, layout));
        calibrate(imp, layout, false);
        imp.setProperty("Info", info(a, "rows = tokens (" + rowHeight + " px each, named on the left), columns = the "
                + w + " dimensions, from x = " + layout.left() + " (the margin is NaN)"));
        imp.resetDisplayRange();
        return imp;
    }

    /** The values enlarged to cells and placed right of and below the margins, which hold NaN. */
    private static FloatProcessor onCanvas(float[] values, int rows, int cols, int cellHeight, int cellWidth,
            Layout layout) {
        int w = layout.left() + cols * cellWidth;
        int h = layout.top() + rows * cellHeight;
        float[] out = new float[w * h];
        java.util.Arrays.fill(out, Float.NaN);
        for (int y = 0; y < rows * cellHeight; y++) {
            for (int x = 0; x < cols * cellWidth; x++) {
                out[(layout.top() + y) * w + layout.left() + x] = values[(y / cellHeight) * cols + x / cellWidth];
            }
        }
        return new FloatProcessor(w, h, out);
    }

    /** Cursor coordinates in tokens (rows, and columns when they are tokens), counted from the matrix's corner. */
    private static void calibrate(ImagePlus imp, Layout layout, boolean columns) {
        Calibration cal = imp.getCalibration();
        cal.setUnit("token");
        cal.pixelHeight = 1.0 / layout.cell();
        cal.yOrigin = layout.top();
        cal.pixelWidth = columns ? 1.0 / layout.cell() : 1.0;
        cal.xOrigin = layout.left();
    }

    /** A token as its label reads: the special tokens shortened, the word-end mark dropped. */
    static String label(TextEncoderAttention a, int i) {
        return a.tokens().get(i).replace("<|startoftext|>", "SOT").replace("<|endoftext|>", "EOT")
                .replace("</w>", "");
    }

    /**
     * The token labels: each row's right-aligned in the left margin, centred on the row; each column's (when the
     * columns are tokens) in the top margin, turned to read bottom to top, centred on the column and ending
     * {@link #GAP} pixels above the matrix.
     */
    static Overlay labels(TextEncoderAttention a, Layout layout) {
        Overlay overlay = new Overlay();
        for (int i = 0; i < a.used(); i++) {
            String token = label(a, i);
            TextRoi row = new TextRoi(0, 0, token, layout.font());
            Rectangle size = row.getBounds();
            int[] rows = layout.span(i, true);
            row.setLocation(layout.left() - GAP - size.width, (rows[0] + rows[1] - size.height) / 2);
            row.setStrokeColor(Color.YELLOW);
            row.setName("row " + i);
            overlay.add(row);
            if (layout.top() > 0) {
                int[] cols = layout.span(i, false);
                // ImageJ turns a TextRoi about its top-left corner, counter-clockwise: the text then runs upwards
                // from that corner, one line height to its right.
                TextRoi column = new TextRoi((cols[0] + cols[1] - size.height) / 2.0, layout.top() - GAP, token,
                        layout.font());
                column.setAngle(90);
                column.setStrokeColor(Color.YELLOW);
                column.setName("column " + i);
                overlay.add(column);
            }
        }
        return overlay;
    }
    private static String info(TextEncoderAttention a, String layout) {
        StringBuilder info = new StringBuilder("Text encoder attention (ij-genai)\n").append(layout).append('\n');
        for (int i = 0; i < a.used(); i++) {
            info.append("token ").append(i).append(": ").append(a.tokens().get(i)).append('\n');
        }
        return info.toString();
    }
}
