package org.ijgenai.core.progress;

/** Receives progress reports from long-running core work, so the core never talks to a user interface. */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores every report. */
    ProgressListener NONE = (done, total, message) -> { };

    /**
     * Reports that {@code done} of {@code total} units of work are finished.
     *
     * @param message a short human-readable description of the current unit, never null
     */
    void progress(int done, int total, String message);
}
