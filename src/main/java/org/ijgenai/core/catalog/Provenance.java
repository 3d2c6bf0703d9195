package org.ijgenai.core.catalog;

/** How the SHA-256 recorded for a file was established, so the user knows what the check is worth. */
public enum Provenance {

    /** The received bytes matched the SHA-256 written in the catalogue. */
    CATALOGUE("catalogue", "matches the SHA-256 in the catalogue"),
    /** No catalogue hash; the bytes matched the SHA-256 the server sent (X-Linked-Etag or ETag). */
    SERVER("server", "matches the SHA-256 the server announced (X-Linked-Etag/ETag)"),
    /** No hash was known anywhere: the received bytes were recorded (trust on first use). */
    FIRST_USE("first-use", "recorded on first use (no SHA-256 was published to compare with)"),
    /** Recorded from files already on this computer ({@code models add}). */
    LOCAL("local", "recorded from the local folder");

    private final String id;
    private final String meaning;

    Provenance(String id, String meaning) {
        this.id = id;
        this.meaning = meaning;
    }

    /** The identifier stored in manifests. */
    public String id() {
        return id;
    }

    /** A sentence fragment for people. */
    public String meaning() {
        return meaning;
    }

    /** The provenance with identifier {@code id}, or {@link #FIRST_USE} when unknown. */
    public static Provenance fromId(String id) {
        for (Provenance p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        return FIRST_USE;
    }
}
