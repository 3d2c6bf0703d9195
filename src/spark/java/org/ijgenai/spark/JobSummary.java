package org.ijgenai.spark;

import java.util.Locale;

/**
 * The outcome of one run of a job, printed by the driver.
 *
 * @param listed images found in the input
 * @param alreadyDone images skipped because an earlier run finished them (same path, size, mtime, model)
 * @param processed images finished in this run
 * @param errors images recorded in the {@code errors} table in this run
 * @param partitions partitions (tasks) this run committed
 * @param seconds wall-clock time from listing to the last commit
 */
record JobSummary(String job, long listed, long alreadyDone, long processed, long errors, int partitions,
        double seconds) {

    /** Finished images per second of wall-clock time. */
    double imagesPerSecond() {
        return seconds > 0 ? (processed + errors) / seconds : 0;
    }

    /** The driver's one-line summary. */
    String line() {
        return String.format(Locale.ROOT, "ij-genai spark %s: %d image(s) listed, %d already done, %d processed,"
                + " %d error(s), %d partition(s) in %.1f s (%.1f images/s)", job, listed, alreadyDone, processed,
                errors, partitions, seconds, imagesPerSecond());
    }
}
