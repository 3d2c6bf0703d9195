package org.ijgenai.core.search;

/**
 * What the index stores about one image besides its embedding: the file, the slice within it (0 for the whole
 * file), and the size and modification time that tell whether the file changed since it was embedded.
 */
public record IndexedImage(String path, int slice, long size, long modifiedMillis) {

    /** The unique key of the entry: the path, with {@code #slice=N} for a slice of a stack. */
    public String key() {
        return key(path, slice);
    }

    /** The key for a path and slice. */
    public static String key(String path, int slice) {
        return slice > 0 ? path + "#slice=" + slice : path;
    }
}
