package org.ijgenai.cli;

import java.util.Locale;

import org.ijgenai.core.progress.ProgressListener;

/**
 * The progress line that the generation subcommands write to standard error, rewritten in place:
 * {@code [3/20] step 3/20 · 4 s left}, the unit being worked on of all of them ({@code --quiet} writes none).
 */
final class ProgressLine {

    private ProgressLine() {}

    /** The listener that writes the line, or one that writes nothing when {@code quiet}. */
    static ProgressListener of(boolean quiet) {
        // A report of everything done (done == total, as a finished model hash gives) shows as the last unit.
        return quiet ? ProgressListener.NONE : (done, total, message) -> System.err.printf(Locale.ROOT,
                "\r[%d/%d] %-60s", Math.min(done + 1, total), total, message);
    }
}
