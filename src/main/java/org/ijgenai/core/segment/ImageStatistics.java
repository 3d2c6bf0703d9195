package org.ijgenai.core.segment;

import org.ijgenai.core.tiling.TileSource;

/**
 * Per-channel statistics of a whole image (minimum, maximum, mean, population standard deviation and
 * percentiles), so per-image normalisation is the same for every tile.
 *
 * <p>Percentiles follow numpy's default (linear interpolation between order statistics). They are exact for
 * integer-valued images whose range spans at most 65,536 values (8- and 16-bit, RGB); otherwise they come from a
 * 65,536-bin histogram and are accurate to 1/65,536 of the range.
 */
public final class ImageStatistics {

    private static final int BINS = 65536;

    private final TileSource source;
    private final double[] min;
    private final double[] max;
    private final double[] mean;
    private final double[] std;
    private final boolean[] integral;
    private final long[][] histograms;

    private ImageStatistics(TileSource source) {
        this.source = source;
        int channels = source.channels();
        min = new double[channels];
        max = new double[channels];
        mean = new double[channels];
        std = new double[channels];
        integral = new boolean[channels];
        histograms = new long[channels][];
        float[] row = new float[source.width()];
        for (int c = 0; c < channels; c++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            double sum = 0;
            double sumSquares = 0;
            boolean integers = true;
            for (int y = 0; y < source.height(); y++) {
                source.read(c, y, 0, row.length, row, 0);
                double rowSum = 0;
                double rowSquares = 0;
                for (float v : row) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    rowSum += v;
                    rowSquares += (double) v * v;
                    integers &= v == Math.rint(v);
                }
                sum += rowSum;
                sumSquares += rowSquares;
            }
            double n = (double) source.width() * source.height();
            min[c] = lo;
            max[c] = hi;
            mean[c] = sum / n;
            // Two-moment variance in double is accurate enough for pixel data and needs one pass.
            std[c] = Math.sqrt(Math.max(0, sumSquares / n - mean[c] * mean[c]));
            integral[c] = integers;
        }
    }

    /** Scans the image once for min, max, mean and std; percentiles take a second scan on first use. */
    public static ImageStatistics of(TileSource source) {
        return new ImageStatistics(source);
    }

    /** The smallest value of a channel. */
    public double min(int channel) {
        return min[channel];
    }

    /** The largest value of a channel. */
    public double max(int channel) {
        return max[channel];
    }

    /** The mean of a channel. */
    public double mean(int channel) {
        return mean[channel];
    }

    /** The population standard deviation of a channel (numpy's {@code std}). */
    public double std(int channel) {
        return std[channel];
    }

    /** The q-th percentile (0–100) of a channel. */
    public double percentile(int channel, double q) {
        long[] histogram = histogram(channel);
        long n = (long) source.width() * source.height();
        double rank = q / 100.0 * (n - 1);
        long below = (long) Math.floor(rank);
        double fraction = rank - below;
        double low = orderStatistic(channel, histogram, below);
        double high = fraction > 0 ? orderStatistic(channel, histogram, below + 1) : low;
        return low + fraction * (high - low);
    }

    private boolean exactBins(int channel) {
        return integral[channel] && max[channel] - min[channel] < BINS;
    }

    private double binWidth(int channel) {
        return exactBins(channel) ? 1 : (max[channel] - min[channel]) / BINS;
    }

    private long[] histogram(int channel) {
        if (histograms[channel] != null) {
            return histograms[channel];
        }
        long[] histogram = new long[BINS];
        double width = binWidth(channel);
        float[] row = new float[source.width()];
        for (int y = 0; y < source.height(); y++) {
            source.read(channel, y, 0, row.length, row, 0);
            for (float v : row) {
                int bin = width == 0 ? 0 : (int) ((v - min[channel]) / width);
                histogram[Math.min(BINS - 1, Math.max(0, bin))]++;
            }
        }
        histograms[channel] = histogram;
        return histogram;
    }

    /** The k-th smallest value (0-based). */
    private double orderStatistic(int channel, long[] histogram, long k) {
        long seen = 0;
        double width = binWidth(channel);
        for (int bin = 0; bin < histogram.length; bin++) {
            long count = histogram[bin];
            if (seen + count > k) {
                if (exactBins(channel) || width == 0) {
                    return min[channel] + bin * width;
                }
                // Spread the bin's values evenly across it.
                return min[channel] + (bin + (k - seen + 0.5) / count) * width;
            }
            seen += count;
        }
        return max[channel];
    }
}
