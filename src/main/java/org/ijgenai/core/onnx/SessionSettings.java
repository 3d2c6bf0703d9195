package org.ijgenai.core.onnx;

/**
 * How ONNX Runtime should run a network: intra-op threads (0 lets ONNX Runtime decide), graph optimisation, and
 * the CUDA device index (−1 for CPU).
 */
public record SessionSettings(int intraOpThreads, boolean optimizeGraph, int cudaDevice) {

    /** All CPU cores, full graph optimisation, CPU execution. */
    public static final SessionSettings DEFAULT = new SessionSettings(0, true, -1);

    /** Validates the settings. */
    public SessionSettings {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intra-op threads must be ≥ 0, was " + intraOpThreads);
        }
    }
}
