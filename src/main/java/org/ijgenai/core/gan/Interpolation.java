package org.ijgenai.core.gan;

import java.util.Locale;

import org.ijgenai.core.tensor.Slerp;

/** How a walk goes from one noise vector to the next: along the straight line, or along the great circle. */
public enum Interpolation {

    /**
     * Spherical linear interpolation ({@link Slerp#slerp}). Random Gaussian z's of dimension d lie close to the
     * sphere of radius √d; slerp stays near it, so every frame looks like a typical sample.
     */
    SLERP("slerp"),
    /**
     * The straight line {@code (1−t)·a + t·b} ({@link Slerp#lerp}). Halfway between two independent z's the length
     * drops to about √(d/2), where a generator has rarely been, and the middle frames often look washed out.
     */
    LINEAR("linear");

    private final String id;

    Interpolation(String id) {
        this.id = id;
    }

    /** The name used by the CLI and macros: {@code slerp} or {@code linear}. */
    public String id() {
        return id;
    }

    /** The point at t ∈ [0, 1] between a and b. */
    public float[] between(float[] a, float[] b, double t) {
        return this == SLERP ? Slerp.slerp(a, b, t) : Slerp.lerp(a, b, t);
    }

    /**
     * The interpolation called {@code id} (case-insensitive; {@code lerp} and {@code line} also mean linear).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Interpolation parse(String id) {
        String t = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "slerp":
            case "spherical":
                return SLERP;
            case "linear":
            case "lerp":
            case "line":
                return LINEAR;
            default:
                throw new IllegalArgumentException("interpolation must be slerp or linear, was '" + id + "'");
        }
    }
}
