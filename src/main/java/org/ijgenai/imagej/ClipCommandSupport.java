package org.ijgenai.imagej;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import ij.IJ;
import ij.Macro;
import ij.Prefs;
import ij.macro.Interpreter;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.Offline;
import org.ijgenai.core.progress.CancelledException;

/**
 * What the CLIP commands share: DJL kept offline before any of them loads a model, remembered folders in
 * {@link Prefs}, and one way to report failures (message to the user, trace to the Log).
 */
final class ClipCommandSupport {

    static {
        Offline.ensure();
    }

    static final String PREF_MODEL = "ijgenai.clip.model";
    static final String PREF_INDEX = "ijgenai.clip.index";
    static final String PREF_IMAGES = "ijgenai.clip.images";

    private ClipCommandSupport() {}

    /** Makes sure the static initialiser ran (call first in every command). */
    static void init() {
        Offline.ensure();
    }

    /** A remembered string preference. */
    static String pref(String key, String fallback) {
        return Prefs.get(key, fallback);
    }

    /** Remembers a string preference for the next dialog. */
    static void remember(String key, String value) {
        Prefs.set(key, value);
    }

    /** A folder from a dialog field, with the field named in the error when it is blank. */
    static Path folder(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new GenAiException("The " + field + " folder is empty; choose one");
        }
        return Path.of(value.trim());
    }

    /**
     * Reports a failure once: the message of a {@link GenAiException} or {@link IllegalArgumentException}, or the
     * type and message of anything else with its trace in the Log; a macro is aborted so a batch run stops.
     */
    static void reportError(String title, Throwable failure) {
        IJ.showProgress(1.0);
        if (failure instanceof CancelledException) {
            IJ.showStatus(title + ": cancelled");
            return;
        }
        String message;
        if (failure instanceof GenAiException || failure instanceof IllegalArgumentException) {
            message = failure.getMessage();
        } else {
            message = failure.getClass().getSimpleName() + (failure.getMessage() == null ? ""
                    : ": " + failure.getMessage()) + "\n(the details are in the Log window)";
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            IJ.log(title + " failed:\n" + trace);
        }
        Interpreter macro = Interpreter.getInstance();
        if (Macro.getOptions() != null && macro != null) {
            macro.abort(title + ": " + message);
        } else {
            IJ.error(title, message);
        }
    }
}
