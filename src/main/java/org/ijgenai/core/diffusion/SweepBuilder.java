package org.ijgenai.core.diffusion;

import org.ijgenai.core.progress.ProgressListener;

/**
 * The builder options of a job that runs one generation after another ({@link GridRun}'s cells,
 * {@link LatentWalk}'s frames): those of every job, and where each generation's own progress goes.
 *
 * @param <B> the job itself, which every option returns so that calls chain
 */
public abstract class SweepBuilder<B extends SweepBuilder<B>> extends JobBuilder<B> {

    private ProgressListener stepProgress = ProgressListener.NONE;

    /** Where each generation's own progress (its denoising steps) goes, so a slow one still shows it is working. */
    @SuppressWarnings("unchecked")
    public B optStepProgress(ProgressListener listener) {
        this.stepProgress = listener;
        return (B) this;
    }

    /** {@code job}, one generation of the sweep, with the sweep's options and its step progress as progress. */
    protected final <J extends JobBuilder<J>> J passOptions(J job) {
        return passOptions(job, stepProgress);
    }
}
