package org.ijgenai.imagej;

import java.awt.Color;
import java.awt.Font;
import java.util.List;

import org.ijgenai.core.gan.GanLatentWalk;
import org.ijgenai.core.gan.GanPictures;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;

/**
 * The ImagePlus forms of a GAN latent walk, shared by the GAN Latent Walk command and {@code ij-genai gan-walk}: the
 * frames as an RGB stack labelled with each z's place, and a montage with one row per walk segment or swept
 * coordinate, headed by the segment or coordinate and, for a sweep, the offset of each column.
 */
public final class GanWalkImages {

    /** The property prefix of the parameters in the images' Info. */
    public static final String PROPERTY_PREFIX = "gan.";
    /** Montage tiles are enlarged (nearest neighbour) to at least this many pixels, so 32×32 pictures are legible. */
    static final int MIN_TILE = 96;
    private static final int HEADER = 20;
    private static final int ROW_LABEL = 84;

    private GanWalkImages() {}

    /** The frames, one slice each, labelled "3: seed 1→2 t=0.250" or "12: z[3] +1.50 (= 0.871)". */
    public static ImagePlus stack(GanLatentWalk walk, String title) {
        GanPictures p = walk.pictures();
        ImageStack stack = new ImageStack(p.width(), p.height());
        for (int i = 0; i < p.count(); i++) {
            stack.addSlice((i + 1) + ": " + walk.frames().get(i).label(),
                    new ColorProcessor(p.width(), p.height(), p.rgb(i)));
        }
        ImagePlus imp = new ImagePlus(title, stack);
        describe(imp, walk);
        return imp;
    }

    /**
     * The montage: one row per walk segment (its first picture is the previous row's last) or per swept coordinate
     * (its columns from −range to +range), tiles enlarged to at least {@link #MIN_TILE} pixels.
     */
    public static ImagePlus montage(GanLatentWalk walk, String title) {
        GanPictures p = walk.pictures();
        int scale = Math.max(1, (int) Math.ceil(MIN_TILE / (double) Math.min(p.width(), p.height())));
        int w = p.width() * scale;
        int h = p.height() * scale;
        List<String> rows = walk.rowLabels();
        List<String> columns = walk.columnLabels();
        int top = columns.isEmpty() ? 0 : HEADER;
        int gap = 2;
        int cols = walk.columns();
        ColorProcessor cp = new ColorProcessor(ROW_LABEL + cols * (w + gap) - gap, top + rows.size() * (h + gap) - gap);
        cp.setColor(Color.WHITE);
        cp.fill();
        cp.setColor(Color.BLACK);
        cp.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        cp.setAntialiasedText(true);
        for (int c = 0; c < columns.size(); c++) {
            String label = columns.get(c);
            cp.drawString(label, ROW_LABEL + c * (w + gap) + (w - cp.getStringWidth(label)) / 2, HEADER - 5);
        }
        int[] cells = walk.cells();
        for (int r = 0; r < rows.size(); r++) {
            int y = top + r * (h + gap);
            cp.setColor(Color.BLACK);
            cp.drawString(rows.get(r), 4, y + h / 2 + 6);
            for (int c = 0; c < cols; c++) {
                ImageProcessor tile = new ColorProcessor(p.width(), p.height(), p.rgb(cells[r * cols + c]));
                tile.setInterpolationMethod(ImageProcessor.NONE);
                cp.insert(scale == 1 ? tile : tile.resize(w, h), ROW_LABEL + c * (w + gap), y);
            }
        }
        ImagePlus imp = new ImagePlus(title, cp);
        describe(imp, walk);
        return imp;
    }

    private static void describe(ImagePlus imp, GanLatentWalk walk) {
        GeneratedImagePlus.describe(imp, "GAN latent walk (ij-genai)", PROPERTY_PREFIX, walk.parameters());
    }
}
