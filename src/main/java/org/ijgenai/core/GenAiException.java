package org.ijgenai.core;

/**
 * A failure whose message is written for the user: which file, which parameter, what was expected. Front ends
 * show the message alone and keep the stack trace for the log.
 */
public class GenAiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a user-facing message. */
    public GenAiException(String message) {
        super(message);
    }

    /** Creates the exception with a user-facing message and the underlying cause, kept for the log. */
    public GenAiException(String message, Throwable cause) {
        super(message, cause);
    }
}
