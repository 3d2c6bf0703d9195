package org.ijgenai.core.catalog;

import java.nio.file.Path;
import java.util.regex.Pattern;

import org.ijgenai.core.GenAiException;

/**
 * The rules for model names and for paths inside a model: a name is one plain folder name, and a file path inside a
 * model never leaves the model's folder, so nothing a catalogue, server or archive says can write elsewhere.
 */
public final class ModelName {

    /** Letters, digits, dot, dash and underscore; starts with a letter or digit; at most 100 characters. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private ModelName() {}

    /** Whether {@code name} is a valid model name. */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches() && !name.contains("..");
    }

    /** Returns {@code name} when valid, else throws an error that says what a name may contain. */
    public static String require(String name) {
        if (!isValid(name)) {
            throw new GenAiException("invalid model name '" + printable(name) + "': use letters, digits, '.', '-'"
                    + " and '_' (starting with a letter or digit, no '..', at most 100 characters)");
        }
        return name;
    }

    /**
     * The folder of model {@code name} under {@code root}, checked to lie directly inside it.
     *
     * @throws GenAiException when the name is invalid
     */
    public static Path folderIn(Path root, String name) {
        require(name);
        Path base = root.toAbsolutePath().normalize();
        Path folder = base.resolve(name).normalize();
        if (!base.equals(folder.getParent())) {
            throw new GenAiException("model name '" + name + "' would escape the models folder " + base);
        }
        return folder;
    }

    /**
     * Checks a relative file path from a catalogue, manifest, server or archive: forward slashes only, no empty,
     * "." or ".." segment, not absolute, no drive letter, no control characters.
     *
     * @return the path unchanged
     */
    public static String requireSafeRelativePath(String path) {
        String problem = relativePathProblem(path);
        if (problem != null) {
            throw new GenAiException("unsafe file path '" + printable(path) + "': " + problem);
        }
        return path;
    }

    /** The reason {@code path} is unsafe as a path inside a model folder, or null when it is safe. */
    public static String relativePathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return "empty";
        }
        if (path.length() > 1000) {
            return "longer than 1000 characters";
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "contains a control character";
            }
            if (c == '\\') {
                return "contains a backslash";
            }
            if (c == ':') {
                // Drive letters (C:) and alternate data streams on Windows.
                return "contains ':'";
            }
        }
        if (path.startsWith("/")) {
            return "is absolute";
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "has an empty, '.' or '..' segment";
            }
        }
        return null;
    }

    /**
     * Resolves a relative file path inside {@code folder}, after {@link #requireSafeRelativePath} and a final check
     * on the normalised result.
     */
    public static Path resolveInside(Path folder, String relativePath) {
        requireSafeRelativePath(relativePath);
        Path base = folder.toAbsolutePath().normalize();
        Path resolved = base.resolve(relativePath).normalize();
        if (!resolved.startsWith(base) || resolved.equals(base)) {
            throw new GenAiException("file path '" + relativePath + "' would escape the model folder " + base);
        }
        return resolved;
    }

    /** A printable form of untrusted text for error messages (control characters escaped, length capped). */
    static String printable(String text) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < 120; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.length() < text.length() ? out + "…" : out.toString();
    }
}
