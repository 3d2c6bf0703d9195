package org.ijgenai.core.segment;

import java.util.Arrays;
import java.util.List;

/**
 * The preprocessing steps of a descriptor fitted to one image: per channel one gain and offset followed by a
 * clamp, with any whole-image statistics already folded in, so every tile is normalised identically.
 */
public final class FittedNormalization {

    private final float[] gain;
    private final float[] offset;
    private final float low;
    private final float high;

    private FittedNormalization(double[] gain, double[] offset, double low, double high) {
        this.gain = new float[gain.length];
        this.offset = new float[gain.length];
        for (int c = 0; c < gain.length; c++) {
            this.gain[c] = (float) gain[c];
            this.offset[c] = (float) offset[c];
        }
        this.low = (float) low;
        this.high = (float) high;
    }

    /**
     * Composes the steps into one affine map per channel, computing whole-image statistics where a step needs
     * them.
     *
     * @param statistics statistics of the raw image; may be null when no step needs them
     */
    public static FittedNormalization fit(List<NormalizationStep> steps, int channels, ImageStatistics statistics) {
        double[] g = new double[channels];
        double[] o = new double[channels];
        Arrays.fill(g, 1);
        double low = Double.NEGATIVE_INFINITY;
        double high = Double.POSITIVE_INFINITY;
        for (NormalizationStep step : steps) {
            double[] a = new double[channels];
            double[] b = new double[channels];
            for (int c = 0; c < channels; c++) {
                switch (step.kind()) {
                    case LINEAR:
                        a[c] = step.a(c);
                        b[c] = step.b(c);
                        break;
                    case MEAN_STD:
                        a[c] = 1 / step.b(c);
                        b[c] = -step.a(c) / step.b(c);
                        break;
                    case ZERO_MEAN_UNIT_VARIANCE: {
                        // Statistics of the values as transformed so far: affine maps carry mean and std along.
                        double mean = g[c] * statistics.mean(c) + o[c];
                        double std = Math.abs(g[c]) * statistics.std(c);
                        a[c] = 1 / (std + step.eps());
                        b[c] = -mean * a[c];
                        break;
                    }
                    case SCALE_RANGE: {
                        double p1 = statistics.percentile(c, g[c] >= 0 ? step.minPercentile()
                                : 100 - step.maxPercentile());
                        double p2 = statistics.percentile(c, g[c] >= 0 ? step.maxPercentile()
                                : 100 - step.minPercentile());
                        double lowValue = Math.min(g[c] * p1 + o[c], g[c] * p2 + o[c]);
                        double highValue = Math.max(g[c] * p1 + o[c], g[c] * p2 + o[c]);
                        a[c] = 1 / (highValue - lowValue + step.eps());
                        b[c] = -lowValue * a[c];
                        break;
                    }
                    case CLIP:
                        a[c] = 1;
                        b[c] = 0;
                        break;
                    default:
                        throw new IllegalStateException(step.kind().toString());
                }
            }
            // A clamp followed by an affine map is the affine map followed by the mapped clamp; channels share
            // the clamp, so it is carried along with channel 0's map (descriptors clip last in practice).
            if (step.kind() == NormalizationStep.Kind.CLIP) {
                low = Math.max(low, step.a(0));
                high = Math.min(high, step.b(0));
            } else {
                double l = a[0] * low + b[0];
                double h = a[0] * high + b[0];
                low = Double.isNaN(l) ? Double.NEGATIVE_INFINITY : Math.min(l, h);
                high = Double.isNaN(h) ? Double.POSITIVE_INFINITY : Math.max(l, h);
            }
            for (int c = 0; c < channels; c++) {
                o[c] = a[c] * o[c] + b[c];
                g[c] = a[c] * g[c];
            }
        }
        return new FittedNormalization(g, o, low, high);
    }

    /** Normalises {@code count} values of one channel in place. */
    public void apply(int channel, float[] values, int from, int count) {
        float a = gain[channel];
        float b = offset[channel];
        for (int i = from; i < from + count; i++) {
            float v = values[i] * a + b;
            values[i] = v < low ? low : (v > high ? high : v);
        }
    }

    /** The gain of one channel. */
    public float gain(int channel) {
        return gain[channel];
    }

    /** The offset of one channel. */
    public float offset(int channel) {
        return offset[channel];
    }
}
