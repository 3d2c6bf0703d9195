package org.ijgenai.imagej;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.io.FileInfo;
import ij.plugin.PlugIn;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.search.ClipModel;
import org.ijgenai.core.search.ImageIndexer;
import org.ijgenai.core.search.ImageSource;
import org.ijgenai.core.search.IndexedImage;
import org.ijgenai.core.search.IndexingReport;

/**
 * Plugins › Generative AI › CLIP Index Images…: embeds a folder of images (recursively, only new or changed
 * files) or the slices of the current stack into a persistent CLIP index. Esc cancels; finished batches stay.
 */
public final class ClipIndexImagesCommand extends GenAiCommand implements PlugIn {

    private static final String TITLE = "CLIP Index Images";
    private static final String[] SOURCES = {"Folder", "Current stack"};

    @Override
    public void run(String arg) {
        ClipCommandSupport.useOwnClassLoader();
        GenericDialog gd = new GenAiDialog(TITLE);
        gd.addStringField("Model folder or name (CLIP ONNX)", ClipCommandSupport.pref(ClipCommandSupport.PREF_MODEL, ""), 40);
        gd.addChoice("Source", SOURCES, SOURCES[0]);
        gd.addStringField("Images folder", ClipCommandSupport.pref(ClipCommandSupport.PREF_IMAGES, ""), 40);
        gd.addStringField("Index folder", ClipCommandSupport.pref(ClipCommandSupport.PREF_INDEX, ""), 40);
        gd.addNumericField("Batch size", ImageIndexer.Settings.DEFAULT.batchSize(), 0);
        gd.addMessage("Only new or changed images are embedded. Esc cancels; finished batches are kept.");
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String model = gd.getNextString();
        boolean folder = gd.getNextChoiceIndex() == 0;
        String images = gd.getNextString();
        String index = gd.getNextString();
        int batch = (int) gd.getNextNumber();
        try {
            Path modelDir = ClipCommandSupport.model(model);
            Path indexDir = ClipCommandSupport.folder(index, "index");
            ClipCommandSupport.remember(ClipCommandSupport.PREF_MODEL, model);
            ClipCommandSupport.remember(ClipCommandSupport.PREF_INDEX, index);
            ImagePlus stack = null;
            if (folder) {
                ClipCommandSupport.remember(ClipCommandSupport.PREF_IMAGES, images);
            } else {
                stack = WindowManager.getCurrentImage();
                if (stack == null) {
                    throw new GenAiException("Source is 'Current stack' but no image is open");
                }
            }
            IndexingReport report = index(modelDir, folder ? ClipCommandSupport.folder(images, "images") : null,
                    stack, indexDir, batch);
            IJ.log(TITLE + " → " + indexDir + ": " + report.summary());
            for (IndexingReport.SkippedImage s : report.skipped()) {
                IJ.log("  skipped " + s.path() + ": " + s.reason());
            }
            IJ.showStatus(report.summary());
        } catch (RuntimeException | OutOfMemoryError e) {
            reportError(TITLE, e);
        }
    }

    /** Indexes a folder, or the slices of {@code stack} when {@code images} is null; usable without a dialog. */
    public static IndexingReport index(Path modelDir, Path images, ImagePlus stack, Path indexDir, int batch) {
        CancellationToken cancel = escapeCancels();
        ProgressListener progress = (done, total, message) -> {
            IJ.showProgress(done, Math.max(total, 1));
            IJ.showStatus(message + " (Esc cancels)");
        };
        ImageIndexer.Settings defaults = ImageIndexer.Settings.DEFAULT;
        try (ClipModel model = ClipModel.open(modelDir, SessionSettings.DEFAULT)) {
            ImageIndexer indexer = new ImageIndexer(model, new ImageIndexer.Settings(batch,
                    defaults.decoderThreads()));
            IndexingReport report;
            if (images != null) {
                report = indexer.indexFolder(images, indexDir, progress, cancel);
            } else {
                String path = stackPath(stack);
                report = indexer.index(sliceSources(stack, path), indexDir,
                        e -> e.slice() > 0 && e.path().equals(path), List.of(), progress, cancel);
            }
            IJ.showProgress(1.0);
            return report;
        }
    }

    /** The file of a saved image, else "imagej:" and its title, as the index records it. */
    static String stackPath(ImagePlus imp) {
        FileInfo info = imp.getOriginalFileInfo();
        if (info != null && info.directory != null && info.fileName != null && !info.directory.isEmpty()) {
            return new File(info.directory, info.fileName).getAbsolutePath();
        }
        return "imagej:" + imp.getTitle();
    }

    private static List<ImageSource> sliceSources(ImagePlus imp, String path) {
        List<ImageSource> out = new ArrayList<>();
        int[] positions = ClipImages.positions(imp);
        for (int index : positions) {
            // The slice is ImageJ's stack index, so setSlice finds it again. Size 0 marks "unknown": an open
            // stack has no modification time, so its slices are always embedded again.
            IndexedImage entry = new IndexedImage(path, index, 0, 0);
            boolean virtual = imp.getStack().isVirtual();
            out.add(new ImageSource() {
                @Override
                public IndexedImage entry() {
                    return entry;
                }

                @Override
                public RgbImage load() {
                    if (virtual) {
                        // A virtual stack reads its files on demand and is not safe for concurrent readers.
                        synchronized (imp) {
                            return ClipImages.slice(imp, index, null);
                        }
                    }
                    return ClipImages.slice(imp, index, null);
                }
            });
        }
        return out;
    }
}
