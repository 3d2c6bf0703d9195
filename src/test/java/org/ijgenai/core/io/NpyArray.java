package org.ijgenai.core.io;

import java.util.Arrays;
import org.ijgenai.core.tensor.Tensor;

/**
 * One array read from a {@code .npy} file: its numpy dtype, its C-order shape and its values, held in the
 * narrowest Java array that keeps them exactly ({@code float[]} for f2/f4, {@code double[]} for f8,
 * {@code int[]} for b1/i1/i2/i4/u1/u2, {@code long[]} for i8/u4/u8).
 */
public final class NpyArray {

    private final String dtype;
    private final long[] shape;
    private final Object data;

    NpyArray(String dtype, long[] shape, Object data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
    }

    /** The numpy type code without byte order, e.g. {@code f4}, {@code i8}, {@code u1}, {@code b1}. */
    public String dtype() {
        return dtype;
    }

    /** A copy of the shape; empty for a 0-d (scalar) array. */
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements. */
    public int size() {
        return (int) Tensor.size(shape);
    }

    /** Whether the values are floating point (f2, f4, f8). */
    public boolean isFloatingPoint() {
        return dtype.charAt(0) == 'f';
    }

    /** The values as float32, in C order: a copy, narrowed from float64 or converted from integers. */
    public float[] floats() {
        int n = size();
        float[] out = new float[n];
        if (data instanceof float[]) {
            System.arraycopy(data, 0, out, 0, n);
        } else if (data instanceof double[]) {
            double[] d = (double[]) data;
            for (int i = 0; i < n; i++) {
                out[i] = (float) d[i];
            }
        } else if (data instanceof int[]) {
            int[] d = (int[]) data;
            for (int i = 0; i < n; i++) {
                out[i] = d[i];
            }
        } else {
            long[] d = (long[]) data;
            for (int i = 0; i < n; i++) {
                out[i] = d[i];
            }
        }
        return out;
    }

    /** The values as float64, in C order (exact for every dtype except u8 above 2⁵³ and i8 beyond ±2⁵³). */
    public double[] doubles() {
        int n = size();
        double[] out = new double[n];
        if (data instanceof double[]) {
            System.arraycopy(data, 0, out, 0, n);
        } else if (data instanceof float[]) {
            float[] d = (float[]) data;
            for (int i = 0; i < n; i++) {
                out[i] = d[i];
            }
        } else if (data instanceof int[]) {
            int[] d = (int[]) data;
            for (int i = 0; i < n; i++) {
                out[i] = d[i];
            }
        } else {
            long[] d = (long[]) data;
            for (int i = 0; i < n; i++) {
                out[i] = d[i];
            }
        }
        return out;
    }

    /**
     * The values as int64, in C order; u8 values above 2⁶³−1 come back as their two's-complement bits.
     *
     * @throws IllegalStateException for floating-point arrays, which would need rounding
     */
    public long[] longs() {
        requireInteger("longs()");
        int n = size();
        if (data instanceof long[]) {
            return ((long[]) data).clone();
        }
        int[] d = (int[]) data;
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = d[i];
        }
        return out;
    }

    /**
     * The values as int32, in C order.
     *
     * @throws IllegalStateException for floating-point arrays, and when a value does not fit in an int
     */
    public int[] ints() {
        requireInteger("ints()");
        if (data instanceof int[]) {
            return ((int[]) data).clone();
        }
        long[] d = (long[]) data;
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] != (int) d[i]) {
                throw new IllegalStateException("value " + d[i] + " at index " + i + " of a " + dtype
                        + " array does not fit in an int");
            }
            out[i] = (int) d[i];
        }
        return out;
    }

    /** The array as a {@link Tensor}: float32 for floating-point dtypes, int64 for integer and boolean ones. */
    public Tensor toTensor() {
        return isFloatingPoint() ? Tensor.ofFloats(floats(), shape) : Tensor.ofLongs(longs(), shape);
    }

    private void requireInteger(String method) {
        if (isFloatingPoint()) {
            throw new IllegalStateException(method + " needs an integer array, this one is " + dtype);
        }
    }

    @Override
    public String toString() {
        return dtype + Arrays.toString(shape);
    }
}
