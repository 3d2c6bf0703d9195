package org.ijgenai.core.search;

import java.util.HashMap;
import java.util.Map;

import org.ijgenai.core.GenAiException;

/**
 * What an image index records about the model that filled it, kept in the Lucene commit's user data so it
 * changes atomically with the documents.
 *
 * @param modelId the model's {@link ClipModel#id()}
 * @param modelPath the model folder, so a search can find the model without being told
 * @param dimension the embedding size
 */
public record IndexMetadata(String modelId, String modelPath, int dimension) {

    static final String FORMAT_KEY = "ijgenai.clip.format";
    static final String FORMAT = "1";
    static final String MODEL_ID_KEY = "ijgenai.clip.model.id";
    static final String MODEL_PATH_KEY = "ijgenai.clip.model.path";
    static final String DIMENSION_KEY = "ijgenai.clip.dimension";

    /** Validates the fields. */
    public IndexMetadata {
        if (modelId == null || modelId.isBlank()) {
            throw new IllegalArgumentException("model id must not be empty");
        }
        if (dimension < 1) {
            throw new IllegalArgumentException("embedding dimension must be ≥ 1, was " + dimension);
        }
    }

    /** The commit user data that stores this metadata. */
    Map<String, String> toUserData() {
        Map<String, String> data = new HashMap<>();
        data.put(FORMAT_KEY, FORMAT);
        data.put(MODEL_ID_KEY, modelId);
        data.put(MODEL_PATH_KEY, modelPath == null ? "" : modelPath);
        data.put(DIMENSION_KEY, Integer.toString(dimension));
        return data;
    }

    /** Reads the metadata back; {@code where} names the index in the error when it is not a CLIP index. */
    static IndexMetadata fromUserData(Map<String, String> data, String where) {
        if (!data.containsKey(MODEL_ID_KEY) || !data.containsKey(DIMENSION_KEY)) {
            throw new GenAiException(where + " is a Lucene index but not an ij-genai CLIP image index");
        }
        if (!FORMAT.equals(data.get(FORMAT_KEY))) {
            throw new GenAiException(where + " has CLIP index format " + data.get(FORMAT_KEY)
                    + ", which this version cannot read (expected " + FORMAT + ")");
        }
        String path = data.getOrDefault(MODEL_PATH_KEY, "");
        return new IndexMetadata(data.get(MODEL_ID_KEY), path.isEmpty() ? null : path,
                Integer.parseInt(data.get(DIMENSION_KEY)));
    }

    /**
     * Refuses a model that is not the one the index was built with.
     *
     * @throws GenAiException saying which index and model disagree and how
     */
    public void requireCompatible(String otherId, int otherDimension, String otherName, String indexName) {
        if (otherDimension > 0 && otherDimension != dimension) {
            throw new GenAiException("Index " + indexName + " holds " + dimension + "-d embeddings of model "
                    + modelId + (modelPath == null ? "" : " (" + modelPath + ")") + ", but " + otherName + " makes "
                    + otherDimension + "-d embeddings; use the model the index was built with, or a new index");
        }
        if (!modelId.equals(otherId)) {
            throw new GenAiException("Index " + indexName + " was built with model " + modelId
                    + (modelPath == null ? "" : " (" + modelPath + ")") + ", not with " + otherName + " (" + otherId
                    + "); scores across models mean nothing, so use that model or index into a new folder");
        }
    }
}
