package org.ijgenai.core.onnx;

import java.util.Arrays;

import org.ijgenai.core.tensor.ElementType;

/**
 * One input or output of an ONNX session, as the session reports it: name, element type and shape, where −1
 * marks a dynamic dimension and an empty shape a scalar.
 */
public record TensorSpec(String name, ElementType type, long[] shape) {

    /** Copies the shape so the record stays immutable. */
    public TensorSpec {
        shape = shape.clone();
    }

    /** The number of dimensions (0 for a scalar). */
    public int rank() {
        return shape.length;
    }

    /** A copy of the shape. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The size of one dimension, or −1 when it is dynamic. */
    public long dim(int axis) {
        return shape[axis];
    }

    @Override
    public String toString() {
        return name + ":" + type + Arrays.toString(shape);
    }
}
