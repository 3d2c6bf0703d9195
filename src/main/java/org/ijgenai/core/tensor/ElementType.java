package org.ijgenai.core.tensor;

/** The element types that ij-genai exchanges with ONNX networks. */
public enum ElementType {
    /** IEEE single precision. */
    FLOAT32,
    /** IEEE half precision, converted to and from float32 at the network boundary. */
    FLOAT16,
    /** Signed 32-bit integers. */
    INT32,
    /** Signed 64-bit integers. */
    INT64,
    /** Unsigned bytes. */
    UINT8,
    /** Booleans. */
    BOOL,
    /** Anything else an ONNX file may declare; ij-genai cannot feed it. */
    OTHER
}
