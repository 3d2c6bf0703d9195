package org.ijgenai.core.scheduler;

/**
 * The result of one scheduler step: the sample for the previous (less noisy) timestep, and the scheduler's
 * estimate of the clean sample x̂0 when it computes one (null otherwise).
 */
public record StepOutput(float[] prevSample, float[] predOriginalSample) {}
