package org.ijgenai.core.tensor;

/**
 * Spherical linear interpolation of two vectors (Shoemake's slerp), as latent walks use it between initial noises:
 * {@code sin((1−t)θ)/sin θ · a + sin(tθ)/sin θ · b} with θ the angle between a and b, falling back to the linear
 * {@code (1−t)·a + t·b} when the vectors are nearly parallel (|cos θ| &gt; {@link #DOT_THRESHOLD}), where sin θ
 * vanishes, or when either vector is zero.
 */
public final class Slerp {

    /**
     * |cos θ| above which slerp falls back to linear interpolation; 0.9995 is the value the diffusion community's
     * slerp (stable-diffusion-videos, A1111 scripts) uses.
     */
    public static final double DOT_THRESHOLD = 0.9995;

    private Slerp() {
    }

    /**
     * Interpolates from {@code a} (t = 0) to {@code b} (t = 1); the endpoints are returned as exact copies.
     *
     * @throws IllegalArgumentException when the lengths differ or t is not finite
     */
    public static float[] slerp(float[] a, float[] b, double t) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("slerp of vectors of different lengths: " + a.length + " and "
                    + b.length);
        }
        if (!Double.isFinite(t)) {
            throw new IllegalArgumentException("slerp position must be finite, was " + t);
        }
        if (t == 0) {
            return a.clone();
        }
        if (t == 1) {
            return b.clone();
        }
        double cos = cosine(a, b);
        if (usesLinear(cos)) {
            return lerp(a, b, t);
        }
        double theta = Math.acos(cos);
        double sin = Math.sin(theta);
        double wa = Math.sin((1 - t) * theta) / sin;
        double wb = Math.sin(t * theta) / sin;
        float[] out = new float[a.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (wa * a[i] + wb * b[i]);
        }
        return out;
    }

    /** Whether slerp falls back to linear interpolation for vectors with this cosine (NaN: a zero vector). */
    public static boolean usesLinear(double cosine) {
        return Double.isNaN(cosine) || Math.abs(cosine) > DOT_THRESHOLD;
    }

    /** The cosine of the angle between a and b, in double precision; NaN when either is zero. */
    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return Double.NaN;
        }
        return Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
    }

    /** Linear interpolation {@code (1−t)·a + t·b}, computed in double and rounded once; exact copies at 0 and 1. */
    public static float[] lerp(float[] a, float[] b, double t) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lerp of vectors of different lengths: " + a.length + " and "
                    + b.length);
        }
        if (t == 0) {
            return a.clone();
        }
        if (t == 1) {
            return b.clone();
        }
        float[] out = new float[a.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((1 - t) * a[i] + t * b[i]);
        }
        return out;
    }
}
