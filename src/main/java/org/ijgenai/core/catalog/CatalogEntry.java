package org.ijgenai.core.catalog;

import com.google.gson.JsonObject;

/**
 * One model the catalogue knows: its name, task, folder format, source, total size and licence.
 *
 * @param format the expected folder layout, e.g. {@code diffusers-onnx}, {@code transformers.js-clip},
 *        {@code onnx-descriptor}
 * @param totalSize bytes of all files together, or null when unknown
 * @param descriptor a descriptor object written next to the model after install (segmentation and style), or null
 * @param origin the catalogue file the entry came from, for messages
 */
public record CatalogEntry(String name, ModelTask task, String format, String description, ModelSource source,
        Long totalSize, Licence licence, JsonObject descriptor, String notes, String origin) {

    /** Validates the name and fills absent optional values. */
    public CatalogEntry {
        ModelName.require(name);
        task = task == null ? ModelTask.OTHER : task;
        licence = licence == null ? Licence.UNKNOWN : licence;
        description = description == null ? "" : description;
        format = format == null ? "" : format;
    }

    /** The total size: the recorded one, else the sum of the file sizes when every one is known, else null. */
    public Long knownSize() {
        if (totalSize != null) {
            return totalSize;
        }
        long sum = 0;
        for (ModelFile file : source.files()) {
            if (file.size() == null) {
                return null;
            }
            sum += file.size();
        }
        return source.files().isEmpty() ? null : sum;
    }
}
