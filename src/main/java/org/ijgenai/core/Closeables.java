package org.ijgenai.core;

/** Closes several resources as one, so that a failure to release the first does not leak the others. */
public final class Closeables {

    private Closeables() {
    }

    /**
     * Closes every non-null resource in order, even when an earlier one throws; the first failure is rethrown once
     * all are closed, with the later ones attached as suppressed exceptions.
     *
     * @throws GenAiException wrapping a checked exception of a {@code close()}; runtime exceptions pass unchanged
     */
    public static void closeAll(AutoCloseable... resources) {
        Throwable first = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception | Error e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (first instanceof Error error) {
            throw error;
        }
        if (first != null) {
            throw new GenAiException("Cannot release " + first.getMessage(), first);
        }
    }
}
