package org.ijgenai.core.diffusion;

/**
 * The linear map between an image's intensity range [low, high] and the model range [−1, 1] in which diffusion
 * models work: low ↦ −1, high ↦ +1.
 *
 * @param low the intensity that maps to −1
 * @param high the intensity that maps to +1, greater than {@code low}
 */
public record IntensityRange(double low, double high) {

    /** The 8-bit and RGB range 0…255. */
    public static final IntensityRange BYTE = new IntensityRange(0, 255);

    /** Checks that the range is finite and not empty. */
    public IntensityRange {
        if (!(Double.isFinite(low) && Double.isFinite(high) && high > low)) {
            throw new IllegalArgumentException("intensity range must satisfy low < high, was [" + low + ", " + high
                    + "]");
        }
    }

    /** Maps an intensity to [−1, 1]. */
    public float toUnit(double value) {
        return (float) (2 * (value - low) / (high - low) - 1);
    }

    /** Maps a model value back to intensities (no clipping). */
    public double fromUnit(float unit) {
        return (unit + 1.0) * 0.5 * (high - low) + low;
    }
}
