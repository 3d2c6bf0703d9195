package org.ijgenai.core.attention;

import java.util.List;

/**
 * The cross-attention of every captured layer at one denoising step.
 *
 * @param index the step, 1-based as the pipeline's step snapshots count them
 * @param total the number of steps of the run
 * @param timestep the scheduler timestep the UNet was evaluated at
 * @param layers the layers in graph order
 */
public record AttentionStep(int index, int total, double timestep, List<LayerAttention> layers) {}
