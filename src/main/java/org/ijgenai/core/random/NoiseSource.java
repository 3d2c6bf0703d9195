package org.ijgenai.core.random;

/** A seeded source of standard-normal draws, consumed in C order, shared by a pipeline and its scheduler. */
public interface NoiseSource {

    /**
     * Draws {@code count} standard-normal values, cast to float32, in the order numpy's {@code randn} would fill
     * an array of that many elements.
     */
    float[] randn(int count);
}
