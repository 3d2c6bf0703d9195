package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model hash against coreutils' {@code sha256sum}, with external weights, and its cache by path, size, mtime. */
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
