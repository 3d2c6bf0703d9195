package org.ijgenai.core.search;

/** Small vector helpers for embeddings: L2 normalisation, dot products and softmax. */
public final class Vectors {

    private Vectors() {}

    /**
     * Scales {@code v} in place to unit L2 norm (computed in double) and returns it.
     *
     * @throws IllegalArgumentException for a zero or non-finite vector, which has no direction
     */
    public static float[] normalized(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        double norm = Math.sqrt(sum);
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("cannot normalise an embedding of norm " + norm);
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / norm);
        }
        return v;
    }

    /** The dot product, accumulated in double. */
    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of length " + a.length + " and " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    /** softmax(scale · x), computed stably by subtracting the maximum first. */
    public static double[] softmax(double[] x, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v * scale);
        }
        double[] out = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.exp(x[i] * scale - max);
            sum += out[i];
        }
        for (int i = 0; i < x.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
