package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.ijgenai.core.catalog.DownloadProgress;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.CancelledException;
import org.ijgenai.core.progress.ProgressListener;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model hash against coreutils' {@code sha256sum}, with external weights, its cache by path, size, mtime, and
 * the progress and cancelling of a first hash.
 */
class ModelHashTest {

    private static final Path UNET = Path.of("models/shapes-sd/unet/model.onnx");

    @TempDir
    Path temp;

    @Test
    void aSingleFileUnetHashesToTheSha256sumPrefix() throws Exception {
        String expected = sha256sum("sha256sum " + UNET);
        ModelHash hashes = new ModelHash(null);
        assertEquals(expected, hashes.sha256(UNET));
        assertEquals(expected.substring(0, 10), hashes.shortHash(UNET));
        assertEquals(List.of(UNET.toAbsolutePath()), ModelHash.hashedFiles(UNET));
    }

    @Test
    void externalWeightsAreHashedAfterTheGraphInTheOrderItNamesThem() throws Exception {
        Path unet = temp.resolve("unet/model.onnx");
        Files.createDirectories(unet.getParent());
        Files.copy(resource("external_inside.onnx"), unet);
        Files.copy(resource("weights.bin"), unet.resolveSibling("weights.bin"));
        String expected = sha256sum("cat " + unet + " " + unet.resolveSibling("weights.bin") + " | sha256sum");
        assertEquals(expected, new ModelHash(null).sha256(unet));
        assertEquals(List.of(unet.toAbsolutePath(), unet.resolveSibling("weights.bin").toAbsolutePath()),
                ModelHash.hashedFiles(unet));
    }

    @Test
    void theCacheIsUsedUntilAFileChanges() throws Exception {
        Path unet = temp.resolve("model.onnx");
        Files.copy(UNET, unet);
        Path cache = temp.resolve("cache/model-hashes.tsv");
        String real = new ModelHash(cache).sha256(unet);
        List<String> lines = Files.readAllLines(cache, StandardCharsets.UTF_8);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).startsWith(real + "\t"), lines.get(0));
        // A planted value proves that a new instance reads the file instead of hashing again.
        String planted = "0123456789".repeat(6) + "abcd";
        Files.writeString(cache, lines.get(0).replace(real, planted) + "\n", StandardCharsets.UTF_8);
        assertEquals(planted, new ModelHash(cache).sha256(unet));
        Files.setLastModifiedTime(unet, FileTime.fromMillis(Files.getLastModifiedTime(unet).toMillis() + 5000));
        assertEquals(real, new ModelHash(cache).sha256(unet));
    }

    /** A progress report as received. */
    private record Report(int done, int total, String message) {}

    /**
     * A UNet of 110 MB: the small external-data graph with weights beside it that are random at the start and
     * then a hole (a sparse file, so it costs no disk), more than 100 reads of 1 MiB to hash.
     */
    private Path multiMegabyteUnet() throws Exception {
        Path unet = temp.resolve("unet/model.onnx");
        Files.createDirectories(unet.getParent());
        Files.copy(resource("external_inside.onnx"), unet);
        byte[] head = new byte[3 * 1024 * 1024 + 12345];
        new Random(7).nextBytes(head);
        Path weights = unet.resolveSibling("weights.bin");
        Files.write(weights, head);
        try (RandomAccessFile file = new RandomAccessFile(weights.toFile(), "rw")) {
            file.setLength(110L * 1024 * 1024);
        }
        return unet;
    }

    @Test
    void aFirstHashReportsMonotonePercentagesEndingAtOneAndACachedOneNothing() throws Exception {
        Path unet = multiMegabyteUnet();
        long total = Files.size(unet) + Files.size(unet.resolveSibling("weights.bin"));
        String expected = sha256sum("cat " + unet + " " + unet.resolveSibling("weights.bin") + " | sha256sum");
        Path cache = temp.resolve("cache/model-hashes.tsv");
        ModelHash hashes = new ModelHash(cache);
        List<Report> reports = new ArrayList<>();
        ProgressListener listener = (done, total1, message) -> reports.add(new Report(done, total1, message));
        assertEquals(expected, hashes.sha256(unet, listener, CancellationToken.NONE));

        // One report before the first byte, then one for each read that reaches a new percent: at most 101 for
        // the 111 reads of 1 MiB here (a 10 GB UNet gives 101, not 10,000).
        assertTrue(reports.size() >= 50 && reports.size() <= 101, reports.size() + " reports: " + reports);
        assertEquals(0, reports.get(0).done(), reports.toString());
        double previous = -1;
        for (Report r : reports) {
            double fraction = (double) r.done() / r.total();
            assertTrue(fraction > previous, "strictly increasing: " + reports);
            previous = fraction;
        }
        assertEquals(1.0, previous);
        Report last = reports.get(reports.size() - 1);
        assertEquals("hashing unet/weights.bin (" + DownloadProgress.bytes(total) + " of "
                + DownloadProgress.bytes(total) + ")", last.message());
        assertTrue(reports.get(0).message().startsWith("hashing unet/model.onnx (0 B of "), reports.toString());

        reports.clear();
        assertEquals(expected, hashes.sha256(unet, listener, CancellationToken.NONE));
        assertEquals(expected, new ModelHash(cache).sha256(unet, listener, CancellationToken.NONE));
        assertEquals(List.of(), reports, "a cached hash reports no hashing");
    }

    @Test
    void aCancelledHashStopsAndIsNotCached() throws Exception {
        Path unet = multiMegabyteUnet();
        CancellationToken cancel = new CancellationToken();
        List<Integer> seen = new ArrayList<>();
        ModelHash hashes = new ModelHash(null);
        assertThrows(CancelledException.class, () -> hashes.sha256(unet, (done, total, message) -> {
            seen.add(done);
            if (done > 0) {
                cancel.cancel();
            }
        }, cancel));
        assertTrue(seen.get(seen.size() - 1) < 100, "stopped before the end: " + seen);
        seen.clear();
        hashes.sha256(unet, (done, total, message) -> seen.add(done), CancellationToken.NONE);
        assertEquals(100, seen.get(seen.size() - 1), "hashed anew after the cancel: " + seen);
    }

    @Test
    void replayWarnsOnlyWhenTheRecordedHashDiffers() {
        Map<String, String> recorded = Map.of("model_hash", "6ce0161689", "model", "v1-5");
        assertEquals("old.png was made with 'v1-5' of Model hash 6ce0161689, but 'shapes-sd' in use now has hash"
                + " 0000000000: the picture will not be reproduced exactly",
                ModelHash.replayWarning("old.png", recorded, "shapes-sd", "0000000000"));
        assertNull(ModelHash.replayWarning("old.png", recorded, "v1-5", "6CE0161689"));
        assertNull(ModelHash.replayWarning("old.png", Map.of("seed", "1"), "shapes-sd", "0000000000"));
    }

    private static Path resource(String name) throws Exception {
        return Path.of(ModelHashTest.class.getResource("/org/ijgenai/core/catalog/onnx/" + name).toURI());
    }

    /** The first field of a shell pipeline's output: coreutils' hex digest. */
    private static String sha256sum(String command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "no sh to run sha256sum: " + e.getMessage());
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor() == 0, "sha256sum failed: " + out);
        return out.strip().split("\\s+")[0];
    }
}
