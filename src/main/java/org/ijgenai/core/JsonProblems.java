package org.ijgenai.core;

import java.util.regex.Pattern;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Turns a JSON parser's exception into words for the user: the place and what is wrong, without the library's
 * class names and the troubleshooting address Gson appends; and reads descriptor fields with messages that name them.
 */
public final class JsonProblems {

    private static final Pattern CLASS_PREFIX = Pattern.compile("^(?:[a-z]\\w*\\.)+[A-Z]\\w*(?:Exception|Error): ");
    private static final Pattern SEE_ADDRESS = Pattern.compile("\\s*\\n?\\s*See https?://\\S+\\s*$");

    private JsonProblems() {}

    /** The message of {@code failure} (or of its first cause that has one), cleaned of class names and URLs. */
    public static String describe(Throwable failure) {
        String message = null;
        for (Throwable e = failure; e != null && message == null; e = e.getCause()) {
            message = e.getMessage();
        }
        if (message == null) {
            return "it ends too early or is not JSON";
        }
        String clean = message;
        String previous;
        do {
            previous = clean;
            clean = CLASS_PREFIX.matcher(clean).replaceFirst("");
        } while (!clean.equals(previous));
        clean = SEE_ADDRESS.matcher(clean).replaceFirst("");
        return clean.isBlank() ? "it ends too early or is not JSON" : clean.trim();
    }

    /**
     * The string field {@code key} of a descriptor object, or null when it is absent or JSON null.
     *
     * @throws GenAiException naming the key when the value is not a string (an object or array)
     */
    public static String string(JsonObject object, String key) {
        JsonElement e = object.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive()) {
            throw new GenAiException("'" + key + "' must be a string, was " + e);
        }
        return e.getAsString();
    }
}
