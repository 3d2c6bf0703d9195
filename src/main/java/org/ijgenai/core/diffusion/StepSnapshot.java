package org.ijgenai.core.diffusion;

import java.util.Locale;

/**
 * The state after one UNet evaluation: the latents the scheduler returned and the predicted clean latents x̂0,
 * both unscaled, [batch, channels, height, width] flattened.
 *
 * @param index the 1-based evaluation number
 * @param total the number of UNet evaluations in the run (PNDM with 10 steps makes 11)
 * @param timestep the timestep t of this evaluation
 */
public record StepSnapshot(int index, int total, double timestep, float[] latents, float[] predictedOriginal,
        int batch, int channels, int height, int width) {

    /** A label such as "step 3/11 · t=701". */
    public String label() {
        return label(index, total, timestep);
    }

    /** The label of evaluation {@code index} of {@code total} at timestep t, e.g. "step 3/11 · t=701". */
    public static String label(int index, int total, double timestep) {
        String t = timestep == Math.rint(timestep) ? Long.toString((long) timestep)
                : String.format(Locale.ROOT, "%.1f", timestep);
        return "step " + index + "/" + total + " · t=" + t;
    }

    /** The latents of one image of the batch. */
    public float[] latentsOf(int image) {
        return slice(latents, image);
    }

    /** x̂0 of one image of the batch. */
    public float[] predictedOriginalOf(int image) {
        return slice(predictedOriginal, image);
    }

    private float[] slice(float[] all, int image) {
        int size = channels * height * width;
        return java.util.Arrays.copyOfRange(all, image * size, (image + 1) * size);
    }
}
