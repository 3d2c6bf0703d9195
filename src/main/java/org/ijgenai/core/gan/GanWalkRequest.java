package org.ijgenai.core.gan;

import java.util.List;

/**
 * What to walk through in a GAN's z space: a walk through the z's of seeds, or single-coordinate sweeps around
 * one z. Checks itself; the coordinates are checked against z's length when the generator is known.
 *
 * @param mode walk or sweep
 * @param seeds the walk's seeds, at least two (walk only)
 * @param frames pictures per segment of the walk, both ends included, at least 2
 * @param interpolation slerp or linear (walk only)
 * @param seed the z the sweep is centred on (sweep only)
 * @param coordinates the swept coordinates, such as {@code 0-7} (sweep only)
 * @param range the sweep goes from z[i] − range to z[i] + range
 * @param steps values per swept coordinate, at least 2
 */
public record GanWalkRequest(Mode mode, List<Long> seeds, int frames, Interpolation interpolation, long seed,
        String coordinates, double range, int steps) {

    /** The walk's default pictures per segment. */
    public static final int DEFAULT_FRAMES = 9;
    /** The sweep's default half-width, in standard deviations of z's entries. */
    public static final double DEFAULT_RANGE = 3;
    /** The sweep's default values per coordinate (odd, so the middle column is the base z). */
    public static final int DEFAULT_STEPS = 7;
    /** The sweep's default coordinates. */
    public static final String DEFAULT_COORDINATES = "0-7";

    /** What the request walks through. */
    public enum Mode {
        /** From the z of one seed to the next. */
        WALK,
        /** One coordinate of z at a time, around one z. */
        SWEEP;

        /** {@code walk} or {@code sweep}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /**
         * The mode called {@code id} (case-insensitive).
         *
         * @throws IllegalArgumentException naming the accepted values
         */
        public static Mode parse(String id) {
            for (Mode m : values()) {
                if (m.id().equalsIgnoreCase(id == null ? "" : id.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("mode must be walk or sweep, was '" + id + "'");
        }
    }

    /** Checks the parameters the mode uses. */
    public GanWalkRequest {
        if (mode == null || interpolation == null) {
            throw new IllegalArgumentException("a GAN walk needs a mode and an interpolation");
        }
        seeds = List.copyOf(seeds);
        if (mode == Mode.WALK) {
            if (seeds.size() < 2) {
                throw new IllegalArgumentException("a walk needs at least two seeds, got " + seeds.size()
                        + (seeds.isEmpty() ? "" : " " + seeds));
            }
            if (frames < 2) {
                throw new IllegalArgumentException("frames must be at least 2 (the two ends of each segment), was "
                        + frames);
            }
        } else {
            LatentPaths.offsets(range, steps);
            if (coordinates == null || coordinates.isBlank()) {
                throw new IllegalArgumentException("coordinates: none given (e.g. 0-7 or 3,10,42)");
            }
        }
    }

    /** A walk through the seeds with {@code frames} pictures per segment. */
    public static GanWalkRequest walk(List<Long> seeds, int frames, Interpolation interpolation) {
        return new GanWalkRequest(Mode.WALK, seeds, frames, interpolation, 0, DEFAULT_COORDINATES, DEFAULT_RANGE,
                DEFAULT_STEPS);
    }

    /** Sweeps of the coordinates around the z of {@code seed}. */
    public static GanWalkRequest sweep(long seed, String coordinates, double range, int steps) {
        return new GanWalkRequest(Mode.SWEEP, List.of(), DEFAULT_FRAMES, Interpolation.SLERP, seed, coordinates,
                range, steps);
    }
}
