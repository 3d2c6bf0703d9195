package org.ijgenai.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

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

    /**
     * Wraps an I/O failure once, at the public boundary of the core, with what was being done: for example
     * {@code io("reading catalog " + file, e)} says "reading catalog /path/catalog.json: permission denied for
     * /path/catalog.json".
     *
     * @param operation what was being done and to which file or folder, as a phrase
     */
    public static GenAiException io(String operation, IOException cause) {
        return new GenAiException(operation + ": " + reason(cause), cause);
    }

    /** The reason of an I/O failure in words; the JDK's file exceptions carry little more than a path. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException fs) {
            String file = fs.getFile();
            if (e instanceof NoSuchFileException) {
                return "no such file or folder " + file;
            }
            if (e instanceof AccessDeniedException) {
                return "permission denied for " + file;
            }
            if (e instanceof FileAlreadyExistsException) {
                return file + " already exists";
            }
            if (e instanceof DirectoryNotEmptyException) {
                return "the folder " + file + " is not empty";
            }
            if (e instanceof NotDirectoryException) {
                return file + " is not a folder";
            }
            if (e instanceof AtomicMoveNotSupportedException) {
                return "cannot move " + file + " to " + fs.getOtherFile() + " in one step";
            }
            String why = fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName();
            return file != null ? file + ": " + why : why;
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
