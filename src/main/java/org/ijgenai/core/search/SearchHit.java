package org.ijgenai.core.search;

/**
 * One search result: its rank (1 for the best), the cosine similarity to the query, and the image it points to.
 */
public record SearchHit(int rank, double cosine, IndexedImage image) {

    /** The image's key: its path, with {@code #slice=N} for a stack slice. */
    public String location() {
        return image.key();
    }
}
