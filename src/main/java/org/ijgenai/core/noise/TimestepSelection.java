package org.ijgenai.core.noise;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which timesteps of a T-step training schedule to show: N evenly spaced ones from 0 to T−1, or an explicit list.
 */
public final class TimestepSelection {

    private final int frames;
    private final int[] explicit;

    private TimestepSelection(int frames, int[] explicit) {
        this.frames = frames;
        this.explicit = explicit;
    }

    /**
     * N timesteps spread evenly over 0…T−1, both ends included: t_i = round(i·(T−1)/(N−1)); a single frame shows
     * t = T−1, the end of the forward process.
     *
     * @throws IllegalArgumentException when N &lt; 1
     */
    public static TimestepSelection evenlySpaced(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be at least 1, was " + frames);
        }
        return new TimestepSelection(frames, null);
    }

    /**
     * Exactly these timesteps, in this order.
     *
     * @throws IllegalArgumentException when the list is empty or holds a negative value
     */
    public static TimestepSelection explicit(int... timesteps) {
        if (timesteps.length == 0) {
            throw new IllegalArgumentException("the list of timesteps is empty");
        }
        for (int t : timesteps) {
            if (t < 0) {
                throw new IllegalArgumentException("timesteps must be ≥ 0, got " + t);
            }
        }
        return new TimestepSelection(0, timesteps.clone());
    }

    /**
     * Parses a comma- or space-separated list such as {@code 0,250,500,999}.
     *
     * @throws IllegalArgumentException naming the word that is not a whole number
     */
    public static TimestepSelection parseList(String list) {
        List<Integer> values = new ArrayList<>();
        for (String word : list.trim().split("[,;\\s]+")) {
            if (word.isEmpty()) {
                continue;
            }
            try {
                values.add(Integer.parseInt(word));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("timestep list '" + list + "': '" + word
                        + "' is not a whole number");
            }
        }
        return explicit(values.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Whether this is an explicit list rather than N evenly spaced frames. */
    public boolean isExplicit() {
        return explicit != null;
    }

    /**
     * The timesteps for a schedule of {@code numTrainTimesteps} steps.
     *
     * @throws IllegalArgumentException when a listed timestep is ≥ T or more frames are asked for than T has
     */
    public int[] resolve(int numTrainTimesteps) {
        int last = numTrainTimesteps - 1;
        if (explicit != null) {
            for (int t : explicit) {
                if (t > last) {
                    throw new IllegalArgumentException("timestep " + t + " is outside 0…" + last
                            + " (the schedule has " + numTrainTimesteps + " training timesteps)");
                }
            }
            return explicit.clone();
        }
        if (frames > numTrainTimesteps) {
            throw new IllegalArgumentException("frames (" + frames + ") cannot exceed the number of training timesteps ("
                    + numTrainTimesteps + ")");
        }
        if (frames == 1) {
            return new int[] {last};
        }
        int[] out = new int[frames];
        for (int i = 0; i < frames; i++) {
            out[i] = (int) Math.round((double) i * last / (frames - 1));
        }
        return out;
    }

    @Override
    public String toString() {
        return explicit != null ? "timesteps " + Arrays.toString(explicit) : frames + " evenly spaced frames";
    }
}
