package org.ijgenai.imagej;

import java.nio.file.Path;

import ij.Macro;
import ij.Prefs;

import org.ijgenai.core.GenAiException;

/**
 * What the CLIP commands share: folders and texts remembered in {@link Prefs} between dialogs (but not in
 * macros, where an omitted key means the built-in default on every machine), and folder fields checked with the
 * field's name in the message.
 */
final class ClipCommandSupport {

    static final String PREF_MODEL = "ijgenai.clip.model";
    static final String PREF_INDEX = "ijgenai.clip.index";
    static final String PREF_IMAGES = "ijgenai.clip.images";

    private ClipCommandSupport() {}

    /**
     * Makes the plugin's class loader the thread's context class loader. ImageJ loads plugins with its own
     * class loader but runs them on threads whose context loader cannot see the plugin's jars, and DJL finds its
     * ONNX Runtime engine through a ServiceLoader on the context loader ("Deep learning engine not found").
     */
    static void useOwnClassLoader() {
        Thread.currentThread().setContextClassLoader(ClipCommandSupport.class.getClassLoader());
    }

    /** A remembered string for a dialog default, or {@code fallback} when a macro runs the command. */
    static String pref(String key, String fallback) {
        return Macro.getOptions() != null ? fallback : Prefs.get(key, fallback);
    }

    /** Remembers a string for the next dialog. */
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
}
