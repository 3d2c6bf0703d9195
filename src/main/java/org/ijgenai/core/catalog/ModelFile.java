package org.ijgenai.core.catalog;

import java.util.Locale;
import java.util.regex.Pattern;

import org.ijgenai.core.GenAiException;

/**
 * One file of a model: its path inside the model folder, and, where known, its size, SHA-256 and (for plain URL
 * sources) its download address. Unknown values are null, never guessed.
 */
public record ModelFile(String path, Long size, String sha256, String url) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Validates the path and the checksum's form. */
    public ModelFile {
        ModelName.requireSafeRelativePath(path);
        if (size != null && size < 0) {
            throw new GenAiException("file " + path + ": size must be ≥ 0, was " + size);
        }
        if (sha256 != null) {
            sha256 = sha256.trim().toLowerCase(Locale.ROOT);
            if (sha256.isEmpty()) {
                sha256 = null;
            } else if (!isSha256(sha256)) {
                throw new GenAiException("file " + path + ": sha256 must be 64 hexadecimal digits, was '"
                        + ModelName.printable(sha256) + "'");
            }
        }
    }

    /** Whether {@code text} is a lower-case hexadecimal SHA-256 digest. */
    public static boolean isSha256(String text) {
        return text != null && SHA256.matcher(text).matches();
    }
}
