package org.ijgenai.core.gan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.ijgenai.core.random.NumpyRandomState;

/**
 * The noise vectors of a GAN latent walk or sweep: random z's from numpy-compatible seeds, the frames between them,
 * and single-coordinate sweeps around one z. Pure arithmetic, no network.
 */
public final class LatentPaths {

    /** The most frames one walk or sweep may have, so a typo cannot ask for millions of generator runs. */
    public static final int MAX_FRAMES = 4096;

    private LatentPaths() {}

    /**
     * The z of a seed: numpy's {@code np.random.RandomState(seed).randn(zDim).astype(np.float32)}, so a Python user
     * with the same seed gets the same vector.
     *
     * @throws IllegalArgumentException when the seed is outside numpy's [0, 2³² − 1] or zDim is below 1
     */
    public static float[] noise(long seed, int zDim) {
        if (zDim < 1) {
            throw new IllegalArgumentException("z must have at least one dimension, was " + zDim);
        }
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must be in [0, 4294967295] (numpy's RandomState), was " + seed);
        }
        return new NumpyRandomState(seed).randn(zDim);
    }

    /**
     * A walk through the z's of seeds s₀, s₁, …: {@code frames} pictures from each seed to the next with both ends
     * included (t = k/(frames−1)), the shared ends counted once, so there are (seeds − 1)·(frames − 1) + 1 frames.
     *
     * @param frames pictures per segment, ends included, at least 2
     * @throws IllegalArgumentException for fewer than two seeds, frames below 2, or more than {@link #MAX_FRAMES}
     */
    public static List<LatentFrame> walk(List<Long> seeds, int frames, Interpolation how, int zDim) {
        if (seeds.size() < 2) {
            throw new IllegalArgumentException("a walk needs at least two seeds, got " + seeds.size() + " " + seeds);
        }
        if (frames < 2) {
            throw new IllegalArgumentException("frames must be at least 2 (the two ends of each segment), was "
                    + frames);
        }
        long total = (long) (seeds.size() - 1) * (frames - 1) + 1;
        if (total > MAX_FRAMES) {
            throw new IllegalArgumentException("a walk of " + seeds.size() + " seeds × " + frames + " frames has "
                    + total + " frames; at most " + MAX_FRAMES);
        }
        List<float[]> ends = new ArrayList<>();
        for (long seed : seeds) {
            ends.add(noise(seed, zDim));
        }
        List<LatentFrame> out = new ArrayList<>();
        for (int s = 0; s + 1 < seeds.size(); s++) {
            for (int k = s == 0 ? 0 : 1; k < frames; k++) {
                double t = k / (double) (frames - 1);
                String label = k == 0 ? "seed " + seeds.get(s) : k == frames - 1 ? "seed " + seeds.get(s + 1)
                        : String.format(Locale.ROOT, "seed %d→%d t=%.3f", seeds.get(s), seeds.get(s + 1), t);
                out.add(new LatentFrame(label, how.between(ends.get(s), ends.get(s + 1), t)));
            }
        }
        return out;
    }

    /**
     * The offsets of a sweep: {@code steps} values evenly from −range to +range (the middle one 0 when steps is
     * odd).
     */
    public static double[] offsets(double range, int steps) {
        if (!(range > 0) || Double.isInfinite(range)) {
            throw new IllegalArgumentException("sweep range must be a positive number, was " + range);
        }
        if (steps < 2) {
            throw new IllegalArgumentException("sweep steps must be at least 2 (−range and +range), was " + steps);
        }
        double[] v = new double[steps];
        for (int k = 0; k < steps; k++) {
            v[k] = -range + 2 * range * k / (steps - 1);
        }
        return v;
    }

    /**
     * Single-coordinate sweeps around the z of {@code seed}: for each coordinate i, {@code steps} copies of z whose
     * i-th entry is z[i] + v for the {@link #offsets} v, every other entry unchanged. Frames are in row order: one
     * row per coordinate, one column per offset.
     *
     * @throws IllegalArgumentException for a coordinate outside [0, zDim), an empty list, or too many frames
     */
    public static List<LatentFrame> sweep(long seed, int zDim, int[] coordinates, double range, int steps) {
        double[] offsets = offsets(range, steps);
        if (coordinates.length == 0) {
            throw new IllegalArgumentException("a sweep needs at least one coordinate");
        }
        if ((long) coordinates.length * steps > MAX_FRAMES) {
            throw new IllegalArgumentException("a sweep of " + coordinates.length + " coordinates × " + steps
                    + " steps has " + (long) coordinates.length * steps + " frames; at most " + MAX_FRAMES);
        }
        float[] base = noise(seed, zDim);
        List<LatentFrame> out = new ArrayList<>();
        for (int i : coordinates) {
            if (i < 0 || i >= zDim) {
                throw new IllegalArgumentException("coordinate " + i + " is outside z's 0…" + (zDim - 1));
            }
            for (double v : offsets) {
                float[] z = base.clone();
                z[i] = (float) (base[i] + v);
                out.add(new LatentFrame(String.format(Locale.ROOT, "z[%d] %+.2f (= %.3f)", i, v, z[i]), z));
            }
        }
        return out;
    }

    /**
     * Parses a coordinate list such as {@code 0-7}, {@code 3,10,42} or {@code 0-3,60-63} (duplicates dropped, order
     * kept).
     *
     * @throws IllegalArgumentException naming the bad part and z's range
     */
    public static int[] parseCoordinates(String spec, int zDim) {
        Set<Integer> out = new LinkedHashSet<>();
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-', 1);
            try {
                int from = Integer.parseInt((dash < 0 ? p : p.substring(0, dash)).strip());
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).strip());
                if (from < 0 || to >= zDim || from > to) {
                    throw new IllegalArgumentException("coordinates '" + p + "' are not within z's 0…" + (zDim - 1));
                }
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("coordinates: '" + p + "' is not an index or a range such as 0-7");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("coordinates: none given (e.g. 0-7 or 3,10,42)");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Parses a seed list such as {@code 1,2,3}.
     *
     * @throws IllegalArgumentException naming the part that is not a seed
     */
    public static List<Long> parseSeeds(String spec) {
        List<Long> seeds = new ArrayList<>();
        for (String s : spec.split(",")) {
            if (s.isBlank()) {
                continue;
            }
            try {
                seeds.add(Long.parseLong(s.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("seeds: '" + s.strip() + "' is not a seed (give integers such as"
                        + " 1,2,3)");
            }
        }
        return seeds;
    }
}
