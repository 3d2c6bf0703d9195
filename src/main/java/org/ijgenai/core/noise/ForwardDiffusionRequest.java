package org.ijgenai.core.noise;


/**
 * The parameters of a forward-diffusion run, shared by the ImageJ command and the CLI; defaults are those of
 * diffusers' {@code DDPMScheduler}.
 *
 * @param schedule the β-schedule
 * @param betaStart β at t=0 (ignored by squaredcos_cap_v2)
 * @param betaEnd β at t=T−1 (ignored by squaredcos_cap_v2)
 * @param numTrainTimesteps T
 * @param selection which timesteps to show
 * @param seed the seed of numpy's {@code RandomState} that draws ε, 0…2³²−1
 */
public record ForwardDiffusionRequest(BetaSchedule schedule, double betaStart, double betaEnd,
        int numTrainTimesteps, TimestepSelection selection, long seed) {

    /** diffusers' DDPMScheduler default for beta_start. */
    public static final double DEFAULT_BETA_START = 0.0001;
    /** diffusers' DDPMScheduler default for beta_end. */
    public static final double DEFAULT_BETA_END = 0.02;
    /** diffusers' DDPMScheduler default for num_train_timesteps. */
    public static final int DEFAULT_TRAIN_TIMESTEPS = 1000;
    /** The number of evenly spaced frames shown when no list is given. */
    public static final int DEFAULT_FRAMES = 10;
    /** The default seed. */
    public static final long DEFAULT_SEED = 42;

    /** Validates every parameter, naming the one that is wrong. */
    public ForwardDiffusionRequest {
        if (schedule == null) {
            throw new IllegalArgumentException("schedule is required");
        }
        if (selection == null) {
            throw new IllegalArgumentException("timestep selection is required");
        }
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must lie in 0…4294967295 (numpy's range), was " + seed);
        }
        if (numTrainTimesteps < 2 || numTrainTimesteps > 100_000) {
            throw new IllegalArgumentException("number of training timesteps must lie in 2…100000, was "
                    + numTrainTimesteps);
        }
        // The schedule itself checks the β range; resolving checks the timesteps against T.
        selection.resolve(numTrainTimesteps);
        NoiseSchedule.of(schedule, numTrainTimesteps, betaStart, betaEnd);
    }

    /** The training schedule these parameters define. */
    public NoiseSchedule noiseSchedule() {
        return NoiseSchedule.of(schedule, numTrainTimesteps, betaStart, betaEnd);
    }

    /** The timesteps to show. */
    public int[] timesteps() {
        return selection.resolve(numTrainTimesteps);
    }
}
