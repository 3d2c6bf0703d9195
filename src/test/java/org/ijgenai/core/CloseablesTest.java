package org.ijgenai.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CloseablesTest {

    private final List<String> closed = new ArrayList<>();

    private AutoCloseable network(String name) {
        return () -> closed.add(name);
    }

    private AutoCloseable failing(String name, Exception failure) {
        return () -> {
            closed.add(name);
            throw failure;
        };
    }

    @Test
    void closesEveryNetworkEvenWhenAnEarlierCloseThrows() {
        IllegalStateException unet = new IllegalStateException("UNet session already released");
        IllegalArgumentException vae = new IllegalArgumentException("VAE decoder");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> Closeables.closeAll(
                network("text_encoder"), failing("unet", unet), null, failing("vae_decoder", vae),
                network("vae_encoder")));
        assertEquals(List.of("text_encoder", "unet", "vae_decoder", "vae_encoder"), closed);
        assertSame(unet, thrown, "the first failure is the one reported");
        assertArrayEquals(new Throwable[] {vae}, thrown.getSuppressed());
    }

    @Test
    void checkedFailureBecomesAGenAiExceptionAfterTheOthersClose() {
        IOException io = new IOException("index /tmp/clip: lock lost");
        GenAiException thrown = assertThrows(GenAiException.class,
                () -> Closeables.closeAll(failing("index", io), network("model")));
        assertEquals(List.of("index", "model"), closed);
        assertSame(io, thrown.getCause());
        assertEquals("Cannot release index /tmp/clip: lock lost", thrown.getMessage());
    }

    @Test
    void closesInOrderWithoutFailure() {
        Closeables.closeAll(network("a"), null, network("b"));
        assertEquals(List.of("a", "b"), closed);
    }
}
