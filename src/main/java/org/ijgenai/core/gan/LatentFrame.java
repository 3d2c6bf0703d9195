package org.ijgenai.core.gan;

/**
 * One noise vector of a walk or sweep, with the slice label that says where it lies.
 *
 * @param label e.g. {@code "seed 1→2 t=0.250"} or {@code "z[3] = base +1.50"}
 * @param z the noise vector fed to the generator
 */
public record LatentFrame(String label, float[] z) {

    /** Copies nothing: the vector belongs to the frame from now on. */
    public LatentFrame {
        if (label == null || z == null) {
            throw new IllegalArgumentException("a latent frame needs a label and a vector");
        }
    }
}
