package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.junit.jupiter.api.Test;

/** The builder options every job shares: their defaults, each one kept, and handed on whole to an inner job. */
class JobBuilderTest {

    /** The smallest job: the shared options and nothing else. */
    private static final class Probe extends JobBuilder<Probe> {}

    /** A sweep with nothing else, to see what its generations get. */
    private static final class Sweep extends SweepBuilder<Sweep> {
        GenerationJob cell() {
            return passOptions(new GenerationJob());
        }
    }

    private final GenerationRequest request = GenerationRequest.of("a red circle");
    private final ModelCache cache = new ModelCache(1L << 20);
    private final CancellationToken cancel = new CancellationToken();
    private final List<String> warned = new ArrayList<>();
    private final Consumer<String> warnings = warned::add;
    private final ProgressListener progress = (done, total, message) -> { };

    @Test
    void defaultsAreTheAutomaticDeviceTheSharedCacheAndNoListeners() {
        Probe probe = new Probe();
        assertNull(probe.model());
        assertNull(probe.request());
        assertNull(probe.userModelDir());
        assertEquals("auto", probe.device());
        assertEquals(0, probe.threads());
        assertSame(ProgressListener.NONE, probe.progress());
        assertSame(CancellationToken.NONE, probe.cancel());
        assertSame(ModelCache.shared(), probe.cache());
        probe.warnings().accept("ignored");
    }

    @Test
    void everyOptionIsKeptAndChains() {
        Probe probe = new Probe();
        Probe same = probe.setModel("shapes-sd").setRequest(request).optUserModelDir("/models").optDevice("cpu")
                .optThreads(3).optProgress(progress).optCancel(cancel).optWarnings(warnings).optCache(cache);
        assertSame(probe, same);
        assertOptions(probe, progress);
        assertSame(request, probe.request());
    }

    @Test
    void passOptionsHandsOnEveryOptionButTheRequestWithTheGivenProgress() {
        Probe outer = new Probe().setModel("shapes-sd").setRequest(request).optUserModelDir("/models")
                .optDevice("cpu").optThreads(3).optProgress(ProgressListener.NONE).optCancel(cancel)
                .optWarnings(warnings).optCache(cache);
        GenerationJob inner = outer.passOptions(new GenerationJob(), progress);
        assertOptions(inner, progress);
        assertNull(inner.request(), "each job sets its own request");
    }

    @Test
    void aSweepHandsItsStepProgressToEachGeneration() {
        ProgressListener steps = (done, total, message) -> { };
        Sweep sweep = new Sweep().setModel("shapes-sd").optUserModelDir("/models").optDevice("cpu").optThreads(3)
                .optProgress(progress).optStepProgress(steps).optCancel(cancel).optWarnings(warnings)
                .optCache(cache);
        assertSame(progress, sweep.progress(), "the sweep's own progress: one unit per cell");
        assertOptions(sweep.cell(), steps);
    }

    private void assertOptions(JobBuilder<?> job, ProgressListener expectedProgress) {
        assertEquals("shapes-sd", job.model());
        assertEquals("/models", job.userModelDir());
        assertEquals("cpu", job.device());
        assertEquals(3, job.threads());
        assertSame(expectedProgress, job.progress());
        assertSame(cancel, job.cancel());
        assertSame(warnings, job.warnings());
        assertSame(cache, job.cache());
    }
}
