package org.ijgenai.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import org.junit.jupiter.api.Test;

class GenAiExceptionTest {

    @Test
    void ioFailureSaysTheOperationAndTheReasonInWords() {
        NoSuchFileException missing = new NoSuchFileException("/m/catalog.json");
        GenAiException e = GenAiException.io("reading catalog /m/catalog.json", missing);
        assertEquals("reading catalog /m/catalog.json: no such file or folder /m/catalog.json", e.getMessage());
        assertSame(missing, e.getCause());
        assertEquals("removing x: permission denied for /m/x",
                GenAiException.io("removing x", new AccessDeniedException("/m/x")).getMessage());
        assertEquals("removing x: the folder /m/x is not empty",
                GenAiException.io("removing x", new DirectoryNotEmptyException("/m/x")).getMessage());
        assertEquals("writing manifest /m/x/manifest.json: /m/x/manifest.json: No space left on device",
                GenAiException.io("writing manifest /m/x/manifest.json", new FileSystemException(
                        "/m/x/manifest.json", null, "No space left on device")).getMessage());
        assertEquals("hashing /m/a.onnx: Input/output error",
                GenAiException.io("hashing /m/a.onnx", new IOException("Input/output error")).getMessage());
        assertEquals("hashing /m/a.onnx: IOException",
                GenAiException.io("hashing /m/a.onnx", new IOException()).getMessage());
    }
}
