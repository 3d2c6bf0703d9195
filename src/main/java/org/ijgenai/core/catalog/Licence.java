package org.ijgenai.core.catalog;

/** The licence a model is published under: its name and a link to its text (either may be unknown). */
public record Licence(String name, String url) {

    /** A licence nobody recorded. */
    public static final Licence UNKNOWN = new Licence(null, null);

    /** The name, or "unknown". */
    public String displayName() {
        return name == null || name.isBlank() ? "unknown" : name;
    }
}
