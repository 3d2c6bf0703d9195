package org.ijgenai.core.noise;

import java.util.Locale;

import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.random.NoiseSource;

/**
 * The forward (noising) process of a diffusion model shown as frames: x_t = √ᾱ_t·x0 + √(1−ᾱ_t)·ε for a list of
 * timesteps, with one ε for every frame so that a viewer sees a single noise field grow.
 */
public final class ForwardDiffusion {

    private ForwardDiffusion() {}

    /**
     * Noises {@code x0} (values in the model range [−1, 1], any layout) at each timestep.
     *
     * @param schedule the training schedule that defines ᾱ_t
     * @param x0 the clean sample
     * @param timesteps the timesteps, each in 0…T−1
     * @param noise ε, one standard-normal value per element of {@code x0}
     * @return one array per timestep, in the order given
     */
    public static float[][] frames(NoiseSchedule schedule, float[] x0, int[] timesteps, float[] noise,
            CancellationToken cancel, ProgressListener progress) {
        if (noise.length != x0.length) {
            throw new IllegalArgumentException("noise has " + noise.length + " values, x0 has " + x0.length);
        }
        float[][] out = new float[timesteps.length][];
        for (int k = 0; k < timesteps.length; k++) {
            int t = timesteps[k];
            if (t < 0 || t >= schedule.numTrainTimesteps()) {
                throw new IllegalArgumentException("timestep " + t + " is outside 0…"
                        + (schedule.numTrainTimesteps() - 1));
            }
            cancel.throwIfCancelled();
            out[k] = new float[x0.length];
            schedule.addNoise(x0, noise, t, out[k]);
            progress.progress(k + 1, timesteps.length, label(schedule, t));
        }
        return out;
    }

    /**
     * Noises {@code x0} with ε drawn from {@code noiseSource} in C order, one draw per element.
     *
     * @see #frames(NoiseSchedule, float[], int[], float[], CancellationToken, ProgressListener)
     */
    public static float[][] frames(NoiseSchedule schedule, float[] x0, int[] timesteps, NoiseSource noiseSource,
            CancellationToken cancel, ProgressListener progress) {
        return frames(schedule, x0, timesteps, noiseSource.randn(x0.length), cancel, progress);
    }

    /** The label of the frame at timestep t: {@code t=250 alpha_bar=0.522970 SNR=1.0962}. */
    public static String label(NoiseSchedule schedule, int t) {
        return String.format(Locale.ROOT, "t=%d alpha_bar=%.6f SNR=%.4g", t, schedule.alphaCumprod(t),
                schedule.snr(t));
    }
}
