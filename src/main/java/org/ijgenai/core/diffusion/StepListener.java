package org.ijgenai.core.diffusion;

/** Receives the state after every UNet evaluation, for step stacks and live previews. */
@FunctionalInterface
public interface StepListener {

    /** A listener that ignores every step. */
    StepListener NONE = snapshot -> { };

    /**
     * Called after each scheduler step, on the generating thread; the arrays are the pipeline's own, so copy what
     * is kept.
     */
    void onStep(StepSnapshot snapshot);
}
