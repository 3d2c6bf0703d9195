package org.ijgenai.core.segment;

import java.util.Locale;

import org.ijgenai.core.GenAiException;

/**
 * One preprocessing step applied to the pixel values before the network, per channel.
 *
 * <ul>
 * <li>{@code LINEAR}: x·a + b ({@code a} = scale, {@code b} = offset; bioimage.io {@code scale_linear}).</li>
 * <li>{@code MEAN_STD}: (x − a) / b with fixed mean {@code a} and std {@code b}.</li>
 * <li>{@code ZERO_MEAN_UNIT_VARIANCE}: (x − mean) / (std + eps), mean and std of the whole image.</li>
 * <li>{@code SCALE_RANGE}: (x − p_min) / (p_max − p_min + eps), percentiles of the whole image.</li>
 * <li>{@code CLIP}: clamp to [a, b].</li>
 * </ul>
 * One value in {@code a}/{@code b} applies to every channel.
 */
public record NormalizationStep(Kind kind, double[] a, double[] b, double minPercentile, double maxPercentile,
        double eps) {

    /** The kinds of step. */
    public enum Kind {
        /** x·scale + offset. */
        LINEAR,
        /** (x − mean) / std, fixed values. */
        MEAN_STD,
        /** Whole-image standardisation. */
        ZERO_MEAN_UNIT_VARIANCE,
        /** Whole-image percentile range to [0,1]. */
        SCALE_RANGE,
        /** Clamp. */
        CLIP;

        /** Parses a descriptor or rdf.yaml name. */
        static Kind parse(String name, String where) {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "linear":
                case "scale_linear":
                case "affine":
                    return LINEAR;
                case "mean_std":
                    return MEAN_STD;
                case "zero_mean_unit_variance":
                    return ZERO_MEAN_UNIT_VARIANCE;
                case "scale_range":
                    return SCALE_RANGE;
                case "clip":
                    return CLIP;
                default:
                    throw new GenAiException(where + ": normalisation '" + name + "' is not one of linear, mean_std, "
                            + "zero_mean_unit_variance, scale_range, clip");
            }
        }
    }

    /** Copies the arrays and checks the values. */
    public NormalizationStep {
        a = a.clone();
        b = b.clone();
        if (kind == Kind.MEAN_STD) {
            for (double s : b) {
                if (s == 0) {
                    throw new GenAiException("normalisation std must not be 0");
                }
            }
        }
        if (kind == Kind.SCALE_RANGE && !(minPercentile >= 0 && minPercentile < maxPercentile
                && maxPercentile <= 100)) {
            throw new GenAiException("scale_range percentiles must satisfy 0 ≤ min < max ≤ 100, were "
                    + minPercentile + " and " + maxPercentile);
        }
    }

    /** x·scale + offset. */
    public static NormalizationStep linear(double[] scale, double[] offset) {
        return new NormalizationStep(Kind.LINEAR, scale, offset, 0, 100, 0);
    }

    /** (x − mean) / std. */
    public static NormalizationStep meanStd(double[] mean, double[] std) {
        return new NormalizationStep(Kind.MEAN_STD, mean, std, 0, 100, 0);
    }

    /** Whole-image standardisation. */
    public static NormalizationStep zeroMeanUnitVariance(double eps) {
        return new NormalizationStep(Kind.ZERO_MEAN_UNIT_VARIANCE, new double[0], new double[0], 0, 100, eps);
    }

    /** Whole-image percentile scaling. */
    public static NormalizationStep scaleRange(double minPercentile, double maxPercentile, double eps) {
        return new NormalizationStep(Kind.SCALE_RANGE, new double[0], new double[0], minPercentile, maxPercentile,
                eps);
    }

    /** Clamp to [min, max]. */
    public static NormalizationStep clip(double min, double max) {
        return new NormalizationStep(Kind.CLIP, new double[] {min}, new double[] {max}, 0, 100, 0);
    }

    /** Whether the step needs statistics of the whole image. */
    public boolean needsStatistics() {
        return kind == Kind.ZERO_MEAN_UNIT_VARIANCE || kind == Kind.SCALE_RANGE;
    }

    /** {@code a} for one channel (a single value applies to all). */
    double a(int channel) {
        return a.length == 1 ? a[0] : a[channel];
    }

    /** {@code b} for one channel (a single value applies to all). */
    double b(int channel) {
        return b.length == 1 ? b[0] : b[channel];
    }

    /** A copy of the first parameter array. */
    @Override
    public double[] a() {
        return a.clone();
    }

    /** A copy of the second parameter array. */
    @Override
    public double[] b() {
        return b.clone();
    }
}
