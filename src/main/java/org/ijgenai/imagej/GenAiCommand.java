package org.ijgenai.imagej;

import java.awt.GraphicsEnvironment;
import java.io.PrintWriter;
import java.io.StringWriter;

import ij.IJ;
import ij.Macro;
import ij.macro.Interpreter;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.Offline;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.CancelledException;
import org.ijgenai.core.progress.ProgressListener;

/**
 * The base of every ij-genai ImageJ command: its static initialiser makes DJL offline before any command can load
 * a DJL class, and it reports failures the one way users expect.
 */
public abstract class GenAiCommand {

    static {
        // Runs when ImageJ first loads any command class, before its body can touch DJL.
        Offline.ensure();
    }

    /** For subclasses only. */
    protected GenAiCommand() {}

    /** Whether the command was started by a macro's {@code run("…", "…")}, so no dialog is shown. */
    protected static boolean isMacro() {
        return Macro.getOptions() != null;
    }

    /**
     * A token that Esc cancels from now on: an Esc pressed earlier (e.g. one that closed a dialog) is forgotten, so
     * it cannot cancel the run that starts now.
     */
    protected static CancellationToken escapeCancels() {
        IJ.resetEscape();
        return new CancellationToken(IJ::escapePressed);
    }

    /**
     * Progress on ImageJ's progress bar and status line, "TITLE: encoding the prompt (Esc cancels)", as the
     * generation commands show it.
     */
    protected static ProgressListener statusProgress(String title) {
        return (done, total, message) -> {
            IJ.showProgress(done, total);
            IJ.showStatus(title + ": " + message + " (Esc cancels)");
        };
    }

    /**
     * Reports a failure once, in words: a {@link GenAiException} or {@link IllegalArgumentException} shows its
     * message; anything else also puts its stack trace in the Log window. In a macro the message aborts the macro
     * with its line number (so a batch run fails instead of carrying on); cancelling shows nothing.
     */
    protected static void reportError(String title, Throwable failure) {
        if (failure instanceof CancelledException) {
            IJ.showStatus(title + ": cancelled");
            IJ.showProgress(1.0);
            return;
        }
        String message;
        if (failure instanceof GenAiException || failure instanceof IllegalArgumentException) {
            message = failure.getMessage();
        } else {
            message = failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage())
                    + "\n(the details are in the Log window)";
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            IJ.log(title + " failed:\n" + trace);
        }
        if (failure.getCause() != null && failure instanceof GenAiException) {
            IJ.log(title + ": " + failure.getMessage() + "\ncaused by " + failure.getCause());
        }
        IJ.showProgress(1.0);
        Interpreter macro = Interpreter.getInstance();
        if (isMacro() && macro != null) {
            if (IJ.getInstance() == null && !GraphicsEnvironment.isHeadless()) {
                // ImageJ run with -batch on a display: no window owns a dialog, and a modal one would hang an
                // unattended run, so the message goes to stderr and the macro stops.
                System.err.println(title + ": " + message);
                macro.abortMacro();
            } else {
                // Stops the macro with ImageJ's "Macro Error" and the line number (printed when headless).
                macro.abort(title + ": " + message);
            }
        } else {
            IJ.error(title, message);
        }
    }
}
