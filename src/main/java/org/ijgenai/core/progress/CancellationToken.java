package org.ijgenai.core.progress;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/** A flag that long-running core work polls between units of work so a user can cancel it. */
public final class CancellationToken {

    /** A token that is never cancelled. */
    public static final CancellationToken NONE = new CancellationToken(() -> false);

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final BooleanSupplier externalSignal;

    /** Creates a token that is cancelled only through {@link #cancel()}. */
    public CancellationToken() {
        this(() -> false);
    }

    /**
     * Creates a token that is also cancelled whenever {@code externalSignal} answers true, for example ImageJ's
     * Esc key.
     */
    public CancellationToken(BooleanSupplier externalSignal) {
        this.externalSignal = externalSignal;
    }

    /** Requests cancellation. */
    public void cancel() {
        cancelled.set(true);
    }

    /** Whether cancellation was requested, directly or through the external signal. */
    public boolean isCancelled() {
        if (!cancelled.get() && externalSignal.getAsBoolean()) {
            cancelled.set(true);
        }
        return cancelled.get();
    }

    /** Throws {@link CancelledException} if cancellation was requested. */
    public void throwIfCancelled() {
        if (isCancelled()) {
            throw new CancelledException();
        }
    }
}
