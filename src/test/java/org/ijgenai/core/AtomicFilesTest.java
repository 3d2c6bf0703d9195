package org.ijgenai.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed write leaves the old file as it was and no partial file, and says why in words. */
class AtomicFilesTest {

    @TempDir
    Path temp;

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(temp)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void fullDiskMidWriteKeepsTheOldFileAndLeavesNoPartialFile() throws IOException {
        Path target = temp.resolve("result.png");
        Files.writeString(target, "the old picture");
        GenAiException error = assertThrows(GenAiException.class, () -> AtomicFiles.write(target, temporary -> {
            Files.writeString(temporary, "half a pic");
            throw new FileSystemException(temporary.toString(), null, "No space left on device");
        }));
        assertEquals("the old picture", Files.readString(target));
        assertEquals(List.of("result.png"), names());
        assertTrue(error.getMessage().contains("no space left on device"), error.getMessage());
        assertTrue(error.getMessage().contains("result.png"), error.getMessage());
        assertTrue(error.getMessage().contains("unchanged"), error.getMessage());
    }

    @Test
    void failedFirstWriteLeavesNothing() throws IOException {
        Path target = temp.resolve("new.tif");
        GenAiException error = assertThrows(GenAiException.class, () -> AtomicFiles.write(target, temporary -> {
            Files.writeString(temporary, "part");
            throw new IOException("wrapped", new FileSystemException(temporary.toString(), null,
                    "Read-only file system"));
        }));
        assertEquals(List.of(), names());
        assertTrue(error.getMessage().contains("read-only file system"), error.getMessage());
        assertTrue(error.getMessage().contains("nothing was written"), error.getMessage());
    }

    @Test
    void reasonsAreWordsFromTheOperatingSystem() {
        assertEquals("permission denied", AtomicFiles.reason(new AccessDeniedException("/x/y.png")));
        assertEquals("permission denied", AtomicFiles.reason(new java.io.FileNotFoundException(
                "/x/y.png (Permission denied)")));
        assertEquals("no space left on device", AtomicFiles.reason(new RuntimeException("Error writing PNG",
                new IOException("No space left on device"))));
    }

    @Test
    void completeWriteReplacesTheFileAndKeepsItsPermissions() throws IOException {
        Path target = temp.resolve("table.csv");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.writeString(target, "new");
        assertEquals("new", Files.readString(target));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(List.of("table.csv"), names());
        Path fresh = temp.resolve("fresh.txt");
        AtomicFiles.writeString(fresh, "x");
        assertTrue(Files.getPosixFilePermissions(fresh).contains(java.nio.file.attribute.PosixFilePermission
                .OTHERS_READ) || !Files.getPosixFilePermissions(temp).contains(java.nio.file.attribute
                .PosixFilePermission.OTHERS_READ), "a new file gets the usual permissions, not a private 0600");
    }

    @Test
    void aFolderIsNotOverwritten() throws IOException {
        Files.createDirectory(temp.resolve("out.png"));
        GenAiException error = assertThrows(GenAiException.class, () -> AtomicFiles.writeString(
                temp.resolve("out.png"), "x"));
        assertTrue(error.getMessage().contains("is a folder"), error.getMessage());
    }
}
