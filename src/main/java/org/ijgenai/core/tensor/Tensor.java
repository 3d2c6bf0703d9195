package org.ijgenai.core.tensor;

import java.util.Arrays;

/**
 * A shaped, row-major (C-order) tensor over a plain Java array: {@code float[]} for float types, {@code long[]}
 * for INT64 and {@code int[]} for INT32. It does not copy the array it wraps.
 */
public final class Tensor {

    private final ElementType type;
    private final long[] shape;
    private final Object data;

    private Tensor(ElementType type, long[] shape, Object data, int length) {
        long size = size(shape);
        if (size != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size
                    + " elements but the data has " + length);
        }
        this.type = type;
        this.shape = shape.clone();
        this.data = data;
    }

    /** Wraps float32 data. */
    public static Tensor ofFloats(float[] data, long... shape) {
        return new Tensor(ElementType.FLOAT32, shape, data, data.length);
    }

    /** Wraps int64 data. */
    public static Tensor ofLongs(long[] data, long... shape) {
        return new Tensor(ElementType.INT64, shape, data, data.length);
    }

    /** Wraps int32 data. */
    public static Tensor ofInts(int[] data, long... shape) {
        return new Tensor(ElementType.INT32, shape, data, data.length);
    }

    /** The number of elements a shape holds. */
    public static long size(long... shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    /** The element type of the wrapped array. */
    public ElementType type() {
        return type;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** One dimension of the shape. */
    public long dim(int axis) {
        return shape[axis];
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The number of elements. */
    public int size() {
        return (int) size(shape);
    }

    /** The wrapped float array; fails for integer tensors. */
    public float[] floats() {
        if (!(data instanceof float[])) {
            throw new IllegalStateException("tensor holds " + type + ", not float32");
        }
        return (float[]) data;
    }

    /** The wrapped int64 array; fails for other tensors. */
    public long[] longs() {
        if (!(data instanceof long[])) {
            throw new IllegalStateException("tensor holds " + type + ", not int64");
        }
        return (long[]) data;
    }

    /** The wrapped int32 array; fails for other tensors. */
    public int[] ints() {
        if (!(data instanceof int[])) {
            throw new IllegalStateException("tensor holds " + type + ", not int32");
        }
        return (int[]) data;
    }

    /** The same data viewed with another shape of equal size. */
    public Tensor reshape(long... newShape) {
        return new Tensor(type, newShape, data, size());
    }

    @Override
    public String toString() {
        return type + Arrays.toString(shape);
    }
}
