package org.ijgenai.core.search;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of one indexing run.
 *
 * @param found images found in the source
 * @param unchanged images already in the index with the same size and modification time, not embedded again
 * @param embedded images embedded and written in this run
 * @param removed index entries dropped because their file is gone (or became unreadable)
 * @param skipped unreadable or corrupt images, with the reason, left out of the index
 * @param cancelled whether the run stopped early at the user's request (work done so far is committed)
 * @param seconds wall-clock time of the run
 * @param networkSeconds time spent inside the vision network; close to {@code seconds} when decoding keeps up
 */
public record IndexingReport(int found, int unchanged, int embedded, int removed, List<SkippedImage> skipped,
        boolean cancelled, double seconds, double networkSeconds) {

    /** One image that could not be indexed. */
    public record SkippedImage(String path, String reason) {
    }

    /** Copies the list of skipped images. */
    public IndexingReport {
        skipped = List.copyOf(skipped);
    }

    /** Embedded images per second of wall-clock time. */
    public double imagesPerSecond() {
        return seconds > 0 ? embedded / seconds : 0;
    }

    /** A one-line summary for logs and the CLI. */
    public String summary() {
        return String.format(Locale.ROOT,
                "%s: %d image(s) found, %d embedded, %d unchanged, %d removed, %d skipped in %.1f s (%.1f images/s)",
                cancelled ? "Cancelled" : "Done", found, embedded, unchanged, removed, skipped.size(), seconds,
                imagesPerSecond());
    }
}
