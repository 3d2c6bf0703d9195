package org.ijgenai.core.diffusion.network;

import org.ijgenai.core.random.NoiseSource;

/**
 * The VAE's diagonal Gaussian over latents for one image, [1, C, h, w]: the mean, and the log-variance when the
 * export provides it (null when the encoder already returns a single latent).
 */
public record LatentDistribution(float[] mean, float[] logVariance, int channels, int height, int width) {

    /** Whether the export returned the full distribution rather than one latent. */
    public boolean hasVariance() {
        return logVariance != null;
    }

    /**
     * A sample mean + σ·ε with ε drawn from {@code noise}, σ = exp(½·clamp(logvar, −30, 20)) as diffusers'
     * {@code DiagonalGaussianDistribution}; the latent itself when there is no variance.
     */
    public float[] sample(NoiseSource noise) {
        if (logVariance == null) {
            return mean.clone();
        }
        float[] eps = noise.randn(mean.length);
        float[] out = new float[mean.length];
        for (int i = 0; i < out.length; i++) {
            float logVar = Math.max(-30f, Math.min(20f, logVariance[i]));
            float std = (float) Math.exp(0.5f * logVar);
            out[i] = mean[i] + std * eps[i];
        }
        return out;
    }

    /** The mean latent (the mode), used when sampling is not wanted. */
    public float[] mode() {
        return mean.clone();
    }
}
