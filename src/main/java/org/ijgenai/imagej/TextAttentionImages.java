package org.ijgenai.imagej;

import java.awt.Color;
import java.awt.Font;

import org.ijgenai.core.attention.TextEncoderAttention;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.Overlay;
import ij.gui.TextRoi;
import ij.process.FloatProcessor;

/**
 * The ImagePlus forms of a text encoder's attention, shared by the Text Encoder Attention command and
 * {@code ij-genai text-attention}: a hyperstack of token × token matrices (z = head, t = layer), each token a square
 * cell labelled with its token on the diagonal, and the token and positional embeddings as token × dimension images.
 */
public final class TextAttentionImages {

    private TextAttentionImages() {
    }

    /** The cell side in pixels for {@code tokens} tokens: about 320 pixels in all, at least 1 pixel per token. */
    static int cell(int tokens) {
        return Math.max(1, 320 / tokens);
    }

    /**
     * The attention matrices: row = the attending token (query), column = the attended token (key); z = head,
     * t = layer; 32-bit, one value per cell.
     */
    public static ImagePlus attention(TextEncoderAttention a, String title) {
        int n = a.used();
        int c = cell(n);
        ImageStack stack = new ImageStack(n * c, n * c);
        for (int layer = 0; layer < a.layers().size(); layer++) {
            for (int head = 0; head < a.heads(); head++) {
                stack.addSlice("layer " + (layer + 1) + " · head " + (head + 1) + " (" + a.layers().get(layer) + ")",
                        enlarged(a.matrix(layer, head), n, n, c, c));
            }
        }
        ImagePlus imp = new ImagePlus(title + "-text-attention", stack);
        imp.setDimensions(1, a.heads(), a.layers().size());
        imp.setOpenAsHyperStack(true);
        imp.setOverlay(labels(a, c, c, true));
        imp.setProperty("Info", info(a, "row = attending token (query), column = attended token (key); cell "
                + c + " px"));
        imp.setDisplayRange(0, 1);
        return imp;
    }

    /** Token embeddings, positional embeddings and their sum (the encoder's input): rows = tokens, 32-bit. */
    public static ImagePlus embeddings(TextEncoderAttention a, String title) {
        int n = a.used();
        int rowHeight = cell(n);
        int w = a.width();
        float[] sum = new float[n * w];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = a.tokenEmbeddings()[i] + a.positionEmbeddings()[i];
        }
        ImageStack stack = new ImageStack(w, n * rowHeight);
        stack.addSlice("token embedding", enlarged(a.tokenEmbeddings(), n, w, rowHeight, 1));
        stack.addSlice("positional embedding", enlarged(a.positionEmbeddings(), n, w, rowHeight, 1));
        stack.addSlice("token + positional (the encoder's input)", enlarged(sum, n, w, rowHeight, 1));
        ImagePlus imp = new ImagePlus(title + "-embeddings", stack);
        imp.setOverlay(labels(a, rowHeight, 0, false));
        imp.setProperty("Info", info(a, "rows = tokens (" + rowHeight + " px each), columns = the " + w
                + " dimensions"));
        imp.resetDisplayRange();
        return imp;
    }

    private static FloatProcessor enlarged(float[] values, int rows, int cols, int cellHeight, int cellWidth) {
        int w = cols * cellWidth;
        float[] out = new float[rows * cellHeight * w];
        for (int y = 0; y < rows * cellHeight; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = values[(y / cellHeight) * cols + x / cellWidth];
            }
        }
        return new FloatProcessor(w, rows * cellHeight, out);
    }

    /** The token labels, in each row's cell on the diagonal (matrices) or at the row's left (embeddings). */
    private static Overlay labels(TextEncoderAttention a, int rowHeight, int cellWidth, boolean diagonal) {
        Overlay overlay = new Overlay();
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, Math.min(14, rowHeight / 2)));
        for (int i = 0; i < a.used(); i++) {
            String token = a.tokens().get(i).replace("<|startoftext|>", "SOT").replace("<|endoftext|>", "EOT");
            TextRoi roi = new TextRoi(diagonal ? i * cellWidth + 1 : 1, i * rowHeight + 1, token, font);
            roi.setStrokeColor(Color.YELLOW);
            overlay.add(roi);
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
