package org.ijgenai.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.tensor.ElementType;
import org.ijgenai.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads files written by numpy's own writer ({@code tools/make_npy_test_files.py}) and checks every value. */
class NpyTest {

    @TempDir
    Path temp;

    @Test
    void readsFloat32WithVersion1Header() throws Exception {
        NpyArray a = Npy.read(resource("f4_v1.npy"));
        assertEquals("f4", a.dtype());
        assertArrayEquals(new long[] {2, 3, 4}, a.shape());
        float[] v = a.floats();
        for (int i = 0; i < 24; i++) {
            assertEquals(i * 0.5f - 3, v[i], 0f);
        }
    }

    @Test
    void readsFloat64WithVersion2Header() throws Exception {
        NpyArray a = Npy.read(resource("f8_v2.npy"));
        assertEquals("f8", a.dtype());
        double[] v = a.doubles();
        for (int i = 0; i < 24; i++) {
            assertEquals(i * 0.25 - 1, v[i], 0.0);
        }
    }

    @Test
    void readsInt64WithVersion3HeaderBeyondIntRange() throws Exception {
        NpyArray a = Npy.read(resource("i8_v3.npy"));
        long[] v = a.longs();
        assertEquals(24, v.length);
        for (int i = 0; i < 24; i++) {
            assertEquals((i - 12) * 1_000_000_000_000L, v[i]);
        }
        assertThrows(IllegalStateException.class, a::ints);
    }

    @Test
    void readsBigEndianInt32() throws Exception {
        int[] v = Npy.read(resource("i4_big_endian.npy")).ints();
        for (int i = 0; i < 24; i++) {
            assertEquals(i - 5, v[i]);
        }
    }

    @Test
    void readsUnsignedBytesBooleansAndHalfFloats() throws Exception {
        assertArrayEquals(new int[] {0, 1, 127, 128, 255}, Npy.read(resource("u1.npy")).ints());
        NpyArray bools = Npy.read(resource("b1.npy"));
        assertEquals("b1", bools.dtype());
        assertArrayEquals(new long[] {1, 0, 0, 1}, bools.longs());
        // float16 values as numpy widens them: 1e-3 is stored as 0.0010004043579101562
        assertArrayEquals(new float[] {0.5f, -2f, 65504f, 0.0010004043579101562f},
                Npy.read(resource("f2.npy")).floats(), 0f);
    }

    @Test
    void readsScalarAndEmptyArrays() throws Exception {
        NpyArray scalar = Npy.read(resource("scalar_f8.npy"));
        assertArrayEquals(new long[0], scalar.shape());
        assertArrayEquals(new double[] {3.5}, scalar.doubles(), 0.0);
        NpyArray empty = Npy.read(resource("empty_f4.npy"));
        assertArrayEquals(new long[] {0, 3}, empty.shape());
        assertEquals(0, empty.floats().length);
    }

    @Test
    void fortranOrderIsRejectedWithAdvice() {
        GenAiException e = assertThrows(GenAiException.class, () -> Npy.read(resource("fortran_f4.npy")));
        assertTrue(e.getMessage().contains("Fortran order"), e.getMessage());
        assertTrue(e.getMessage().contains("fortran_f4.npy"), e.getMessage());
    }

    @Test
    void readsPlainAndCompressedNpzByKey() throws Exception {
        try (NpzArchive npz = NpzArchive.open(resource("plain.npz"))) {
            assertEquals(List.of("ids", "latents"), npz.keys());
            assertTrue(npz.contains("ids"));
            assertFalse(npz.contains("nope"));
            assertArrayEquals(new long[] {49406, 320, 49407}, npz.get("ids").longs());
            Tensor latents = npz.get("latents").toTensor();
            assertEquals(ElementType.FLOAT32, latents.type());
            assertArrayEquals(new long[] {1, 2, 3}, latents.shape());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, latents.floats(), 0f);
            GenAiException e = assertThrows(GenAiException.class, () -> npz.get("nope"));
            assertTrue(e.getMessage().contains("[ids, latents]"), e.getMessage());
        }
        try (NpzArchive npz = NpzArchive.open(resource("compressed.npz"))) {
            double[] x = npz.get("x").doubles();
            assertEquals(1000, x.length);
            assertEquals(999.0, x[999], 0.0);
        }
    }

    @Test
    void malformedFilesGiveMessagesNamingTheFile() throws Exception {
        Path text = temp.resolve("notes.npy");
        Files.write(text, "hello world, not numpy".getBytes(StandardCharsets.US_ASCII));
        assertMessageContains(() -> Npy.read(text), "notes.npy", "not a .npy file");

        byte[] whole = Files.readAllBytes(resource("f4_v1.npy"));
        Path truncated = temp.resolve("cut.npy");
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 10));
        assertMessageContains(() -> Npy.read(truncated), "cut.npy", "truncated");

        Path strings = temp.resolve("strings.npy");
        byte[] header = "{'descr': '<U5', 'fortran_order': False, 'shape': (1,), }".getBytes(StandardCharsets.US_ASCII);
        byte[] file = new byte[10 + header.length + 20];
        System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length, 0}, 0, file, 0, 10);
        System.arraycopy(header, 0, file, 10, header.length);
        Files.write(strings, file);
        assertMessageContains(() -> Npy.read(strings), "strings.npy", "'<U5'");

        Path notZip = temp.resolve("bad.npz");
        Files.write(notZip, "no zip".getBytes(StandardCharsets.US_ASCII));
        assertMessageContains(() -> NpzArchive.open(notZip), "bad.npz", "not a .npz");
        assertMessageContains(() -> NpzArchive.open(temp.resolve("absent.npz")), "absent.npz", "does not exist");
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void assertMessageContains(Action action, String... parts) {
        GenAiException e = assertThrows(GenAiException.class, action::run);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    private static Path resource(String name) throws URISyntaxException, IOException {
        return Paths.get(NpyTest.class.getResource(name).toURI());
    }
}
