package org.ijgenai.core.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.onnx.SessionSettings;

/**
 * A search session over one image index: the index plus the model that embeds queries, which is the model the
 * index remembers unless the caller names another (and then it must be the same model). Searching embeds only
 * the query; the images' embeddings come from the index.
 */
public final class ClipSearch implements AutoCloseable {

    private final ImageIndex index;
    private final ClipModel model;

    private ClipSearch(ImageIndex index, ClipModel model) {
        this.index = index;
        this.model = model;
    }

    /**
     * Opens an index and its model.
     *
     * @param modelDir the model folder, or null for the one recorded in the index
     * @throws GenAiException when the index is missing, its model cannot be found, or the model differs
     */
    public static ClipSearch open(Path indexDir, Path modelDir, SessionSettings settings) {
        ImageIndex index = ImageIndex.open(indexDir);
        try {
            IndexMetadata meta = index.metadata();
            Path dir = modelDir;
            if (dir == null) {
                if (meta.modelPath() == null || !Files.isDirectory(Path.of(meta.modelPath()))) {
                    throw new GenAiException("Index " + indexDir + " was built with model " + meta.modelId()
                            + " at " + meta.modelPath() + ", which is no longer there; give the model folder"
                            + " explicitly (--model)");
                }
                dir = Path.of(meta.modelPath());
            }
            ClipModel model = ClipModel.open(dir, settings);
            try {
                meta.requireCompatible(model.id(), model.dimension(), dir.toString(), indexDir.toString());
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            return new ClipSearch(index, model);
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
    }

    /** The index. */
    public ImageIndex index() {
        return index;
    }

    /** The model that embeds queries. */
    public ClipModel model() {
        return model;
    }

    /** The {@code k} images closest to a text, best first. */
    public List<SearchHit> byText(String text, int k) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the search text is empty");
        }
        return index.search(model.embedTexts(List.of(text))[0], k);
    }

    /** The {@code k} images closest to an image, best first. */
    public List<SearchHit> byImage(RgbImage image, int k) {
        return index.search(model.embedImages(List.of(image))[0], k);
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            index.close();
        }
    }
}
