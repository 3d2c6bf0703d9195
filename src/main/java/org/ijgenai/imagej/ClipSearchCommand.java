package org.ijgenai.imagej;

import java.awt.Frame;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.event.MouseListener;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import ij.text.TextPanel;
import ij.text.TextWindow;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.search.ClipSearch;
import org.ijgenai.core.search.SearchHit;

/**
 * Plugins › Generative AI › CLIP Search…: finds the images of an index closest to a text or to the current image
 * (or its selection). Results come as a new stack of the top K, labelled with rank, score and file name, and a
 * ResultsTable (rank, score, path) whose rows open their image on double-click.
 */
public final class ClipSearchCommand extends GenAiCommand implements PlugIn {

    private static final String TITLE = "CLIP Search";
    private static final String TABLE = "CLIP Search Results";
    private static final String[] QUERIES = {"Text", "Current image"};
    private static final int THUMBNAIL = 224;

    @Override
    public void run(String arg) {
        ClipCommandSupport.useOwnClassLoader();
        GenericDialog gd = new GenAiDialog(TITLE);
        gd.addStringField("Index folder", ClipCommandSupport.pref(ClipCommandSupport.PREF_INDEX, ""), 40);
        gd.addStringField("Model folder (blank: the one the index was built with)", "", 40);
        gd.addChoice("Query", QUERIES, QUERIES[0]);
        gd.addStringField("Text", ClipCommandSupport.pref("ijgenai.clip.text", ""), 40);
        gd.addNumericField("Top K", 12, 0);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String index = gd.getNextString();
        String model = gd.getNextString();
        boolean byText = gd.getNextChoiceIndex() == 0;
        String text = gd.getNextString();
        int top = (int) gd.getNextNumber();
        try {
            Path indexDir = ClipCommandSupport.folder(index, "index");
            ClipCommandSupport.remember(ClipCommandSupport.PREF_INDEX, index);
            RgbImage query = null;
            String queryName = text;
            if (byText) {
                if (text.isBlank()) {
                    throw new GenAiException("Text is empty; give the words to search for");
                }
                ClipCommandSupport.remember("ijgenai.clip.text", text);
            } else {
                ImagePlus imp = WindowManager.getCurrentImage();
                if (imp == null) {
                    throw new GenAiException("Query is 'Current image' but no image is open");
                }
                query = ClipImages.current(imp);
                queryName = imp.getTitle() + (imp.getRoi() != null ? " (selection)" : "");
            }
            if (top < 1) {
                throw new IllegalArgumentException("Top K must be ≥ 1, was " + top);
            }
            List<SearchHit> hits = search(indexDir, model.isBlank() ? null : Path.of(model.trim()), text, query, top);
            if (hits.isEmpty()) {
                IJ.showMessage(TITLE, "The index " + indexDir + " is empty.");
                return;
            }
            showTable(hits);
            ImagePlus montage = resultStack(hits, queryName);
            montage.show();
        } catch (RuntimeException | OutOfMemoryError e) {
            reportError(TITLE, e);
        }
    }

    /** Searches by text (when {@code image} is null) or by image; usable without a dialog. */
    public static List<SearchHit> search(Path indexDir, Path modelDir, String text, RgbImage image, int top) {
        IJ.showStatus("CLIP: searching " + indexDir);
        try (ClipSearch search = ClipSearch.open(indexDir, modelDir, SessionSettings.DEFAULT)) {
            return image == null ? search.byText(text, top) : search.byImage(image, top);
        }
    }

    private static void showTable(List<SearchHit> hits) {
        ResultsTable table = new ResultsTable();
        for (SearchHit hit : hits) {
            table.incrementCounter();
            table.addValue("Rank", hit.rank());
            table.addValue("Score", hit.cosine());
            table.addValue("Path", hit.location());
        }
        table.setDecimalPlaces(1, 4);
        MacroTables.publish(table, TABLE);
        Frame frame = WindowManager.getFrame(TABLE);
        if (frame instanceof TextWindow window) {
            TextPanel panel = window.getTextPanel();
            // The table window is reused by later searches; it needs the listener only once.
            for (MouseListener listener : panel.getMouseListeners()) {
                if (listener instanceof OpenOnDoubleClick) {
                    return;
                }
            }
            panel.addMouseListener(new OpenOnDoubleClick(panel));
        }
    }

    /** Opens the image of a results row that is double-clicked. */
    private static final class OpenOnDoubleClick extends MouseAdapter {
        private final TextPanel panel;

        OpenOnDoubleClick(TextPanel panel) {
            this.panel = panel;
        }

        @Override
        public void mouseClicked(MouseEvent e) {
            if (e.getClickCount() == 2) {
                int row = panel.getSelectionStart();
                ResultsTable rt = panel.getResultsTable();
                if (row >= 0 && rt != null && row < rt.size()) {
                    open(rt.getStringValue("Path", row));
                }
            }
        }
    }

    /** Opens a result: a file, or a slice of a stack file ({@code path#slice=N}), or a slice of an open image. */
    static void open(String location) {
        int slice = 0;
        String path = location;
        int mark = location.lastIndexOf("#slice=");
        if (mark > 0) {
            slice = Integer.parseInt(location.substring(mark + 7));
            path = location.substring(0, mark);
        }
        ImagePlus imp;
        if (path.startsWith("imagej:")) {
            imp = WindowManager.getImage(path.substring("imagej:".length()));
            if (imp == null) {
                reportError(TITLE, new GenAiException("The image '" + path.substring(7)
                        + "' is no longer open."));
                return;
            }
            if (slice > 0) {
                imp.setSlice(slice);
            }
            imp.getWindow().toFront();
            return;
        }
        if (!new File(path).exists()) {
            reportError(TITLE, new GenAiException("The file no longer exists:\n" + path));
            return;
        }
        imp = IJ.openImage(path);
        if (imp == null) {
            reportError(TITLE, new GenAiException("ImageJ cannot open " + path));
            return;
        }
        if (slice > 0 && slice <= imp.getStackSize()) {
            imp.setSlice(slice);
        }
        imp.show();
    }

    private static ImagePlus resultStack(List<SearchHit> hits, String query) {
        ImageStack stack = new ImageStack(THUMBNAIL, THUMBNAIL);
        for (SearchHit hit : hits) {
            ColorProcessor thumb = new ColorProcessor(THUMBNAIL, THUMBNAIL);
            ImageProcessor picture = load(hit);
            if (picture != null) {
                double scale = Math.min((double) THUMBNAIL / picture.getWidth(),
                        (double) THUMBNAIL / picture.getHeight());
                int w = Math.max(1, (int) Math.round(picture.getWidth() * scale));
                int h = Math.max(1, (int) Math.round(picture.getHeight() * scale));
                picture.setInterpolationMethod(ImageProcessor.BILINEAR);
                ImageProcessor small = picture.resize(w, h, true);
                thumb.insert(small, (THUMBNAIL - w) / 2, (THUMBNAIL - h) / 2);
            }
            String name = new File(hit.image().path()).getName()
                    + (hit.image().slice() > 0 ? " #" + hit.image().slice() : "");
            stack.addSlice(String.format(Locale.ROOT, "#%d %.4f %s", hit.rank(), hit.cosine(), name), thumb);
        }
        return new ImagePlus("CLIP search: " + query, stack);
    }

    private static ImageProcessor load(SearchHit hit) {
        String path = hit.image().path();
        if (path.startsWith("imagej:")) {
            ImagePlus open = WindowManager.getImage(path.substring("imagej:".length()));
            if (open == null || hit.image().slice() > open.getStackSize()) {
                return null;
            }
            return ClipImages.toProcessor(ClipImages.slice(open, Math.max(1, hit.image().slice()), null));
        }
        ImagePlus imp = IJ.openImage(path);
        if (imp == null) {
            return null;
        }
        int slice = Math.max(1, Math.min(hit.image().slice(), imp.getStackSize()));
        return ClipImages.toProcessor(ClipImages.slice(imp, slice, null));
    }
}
