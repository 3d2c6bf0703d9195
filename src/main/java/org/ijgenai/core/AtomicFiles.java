package org.ijgenai.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a file so that readers see either the old file or the complete new one: the content goes to a temporary
 * file in the same folder, which replaces the target by a rename only once it is complete.
 */
public final class AtomicFiles {

    /** Writes the whole content to the file it is given (a temporary file beside the target). */
    @FunctionalInterface
    public interface Content {

        /** Writes everything to {@code temporary}; any exception abandons the write. */
        void writeTo(Path temporary) throws Exception;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {}

    /**
     * Writes {@code target} through a temporary file in its folder (created when missing) and a rename.
     *
     * @throws GenAiException naming the file and why, in words ("no space left on device", "read-only file
     *         system", "permission denied"); the old file, if any, is then unchanged and no temporary is left
     */
    public static void write(Path target, Content content) {
        Path absolute = target.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new GenAiException("cannot write " + target + ": it is a folder");
        }
        boolean existed = Files.exists(absolute);
        Path folder = absolute.getParent();
        Path temporary = null;
        try {
            Files.createDirectories(folder);
            temporary = createTemporary(absolute);
            if (existed) {
                keepPermissions(absolute, temporary);
            }
            content.writeTo(temporary);
            // Flushed to the disk before the rename, so a crash cannot leave the new name on a half-written file.
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            temporary = null;
        } catch (Exception e) {
            throw new GenAiException("cannot write " + target + ": " + reason(e)
                    + (existed ? "; the existing file is unchanged" : "; nothing was written"), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // The failure being reported matters more; a left-over hidden .part file is harmless.
                }
            }
        }
    }

    // Not Files.createTempFile: its files are private (0600), and the result should get the usual permissions.
    private static Path createTemporary(Path target) throws IOException {
        while (true) {
            Path candidate = target.resolveSibling("." + target.getFileName() + "."
                    + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".part");
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException taken) {
                // Another writer's temporary; draw another name.
            }
        }
    }

    private static void keepPermissions(Path target, Path temporary) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(target);
            Files.setPosixFilePermissions(temporary, permissions);
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system, or not our file: the new file keeps the folder's defaults.
        }
    }

    /** Writes text as UTF-8, atomically as {@link #write}. */
    public static void writeString(Path target, String text) {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes bytes, atomically as {@link #write}. */
    public static void writeBytes(Path target, byte[] bytes) {
        write(target, temporary -> Files.write(temporary, bytes));
    }

    /**
     * Why a write failed, in words: the operating system's reason ("no space left on device", "read-only file
     * system", "permission denied", "disk quota exceeded") found anywhere in the chain of causes, else the first
     * message.
     */
    public static String reason(Throwable failure) {
        String first = null;
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof AccessDeniedException) {
                return "permission denied";
            }
            String message = e.getMessage();
            if (message == null) {
                continue;
            }
            String lower = message.toLowerCase(Locale.ROOT);
            for (String known : new String[] {"no space left on device", "read-only file system",
                    "permission denied", "disk quota exceeded", "file too large"}) {
                if (lower.contains(known)) {
                    return known;
                }
            }
            if (first == null) {
                first = message;
            }
        }
        return first != null ? first : failure.getClass().getSimpleName();
    }
}
