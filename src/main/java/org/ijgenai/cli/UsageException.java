package org.ijgenai.cli;

/** A mistake in the command line, reported as one line with exit code 2. */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the offending option. */
    public UsageException(String message) {
        super(message);
    }
}
