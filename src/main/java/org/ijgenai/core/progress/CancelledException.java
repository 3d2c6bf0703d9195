package org.ijgenai.core.progress;

/** Thrown by core work that stopped because its {@link CancellationToken} was cancelled. */
public final class CancelledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with the standard message. */
    public CancelledException() {
        super("Cancelled by the user");
    }
}
