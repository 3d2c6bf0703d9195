package org.ijgenai.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ijgenai.core.GenAiException;

/** The built-in catalogue and the catalogue format. */
class CatalogTest {

    @Test
    void theBuiltInCatalogueCoversEveryTaskAndInventsNothing() throws Exception {
        List<CatalogEntry> entries = Catalog.builtIn();
        Set<ModelTask> tasks = EnumSet.noneOf(ModelTask.class);
        for (CatalogEntry entry : entries) {
            tasks.add(entry.task());
            assertTrue(entry.licence().url() != null && entry.licence().url().startsWith("https://"), entry.name());
            for (ModelFile file : entry.source().files()) {
                // No hash or size was looked up when the catalogue was written, so none may be there.
                assertNull(file.sha256(), entry.name() + " " + file.path());
                assertNull(file.size(), entry.name() + " " + file.path());
                assertTrue(FileSafety.isAllowed(file.path()), file.path());
            }
        }
        assertEquals(EnumSet.of(ModelTask.TEXT_TO_IMAGE, ModelTask.CLIP, ModelTask.SEGMENTATION, ModelTask.STYLE),
                tasks);
        // The IS-Net rows are named as the folders `segment setup` installs, and name that command.
        for (String variant : new String[] {"small", "medium"}) {
            CatalogEntry isnet = entries.stream().filter(e -> e.name().equals("isnet-" + variant)).findFirst()
                    .orElseThrow();
            assertEquals(ModelSource.NPM_SETUP, isnet.source().type());
            assertTrue(isnet.source().setupCommand().startsWith("bin/ij-genai segment setup"),
                    isnet.source().setupCommand());
            assertEquals(ModelTask.SEGMENTATION, isnet.task());
        }
        assertFalse(entries.stream().filter(e -> e.name().equals("sd15-onnx")).findFirst().orElseThrow().source()
                .isPinned());
        assertTrue(entries.stream().filter(e -> e.name().equals("clip-vit-base-patch32")).findFirst().orElseThrow()
                .source().isPinned());
    }

    @Test
    void aUserCatalogueAddsAndOverridesEntries(@TempDir Path user) throws Exception {
        Files.writeString(user.resolve(Catalog.FILE_NAME), "{\"format\": \"ij-genai-model-catalog\", \"models\": ["
                + "{\"name\": \"u2netp\", \"task\": \"segmentation\", \"source\": {\"type\": \"url\", \"files\": ["
                + "{\"path\": \"u2netp.onnx\", \"url\": \"https://mirror.example.org/u2netp.onnx\", \"size\": 4574861,"
                + " \"sha256\": \"" + "ab".repeat(32) + "\"}]}},"
                + "{\"name\": \"mine\", \"task\": \"style\","
                + " \"source\": {\"type\": \"local\", \"path\": \"/data/m\"}}]}");
        Catalog catalog = Catalog.load(new ModelDirectories(null, user));
        assertEquals("https://mirror.example.org/u2netp.onnx", catalog.find("u2netp").source().files().get(0).url());
        assertEquals(4574861L, catalog.find("u2netp").knownSize());
        assertEquals(ModelSource.LOCAL, catalog.find("mine").source().type());
        assertTrue(catalog.find("sd-turbo-onnx") != null, "built-in entries stay");
    }

    @Test
    void malformedEntriesAreReportedWithTheirFileAndName() {
        String noHttps = "{\"format\": \"ij-genai-model-catalog\", \"models\": [{\"name\": \"x\", \"source\":"
                + " {\"type\": \"url\", \"files\": [{\"path\": \"m.onnx\", \"url\": \"http://a/m.onnx\"}]}}]}";
        GenAiException e = assertThrows(GenAiException.class, () -> Catalog.parse(new StringReader(noHttps), "F"));
        assertTrue(e.getMessage().startsWith("F, model 'x': ") && e.getMessage().contains("https://"),
                e.getMessage());
        String badHash = "{\"format\": \"ij-genai-model-catalog\", \"models\": [{\"name\": \"y\", \"source\":"
                + " {\"type\": \"huggingface\", \"repo\": \"a/b\", \"revision\": \"main\", \"files\":"
                + " [{\"path\": \"m.onnx\", \"sha256\": \"1234\"}]}}]}";
        e = assertThrows(GenAiException.class, () -> Catalog.parse(new StringReader(badHash), "F"));
        assertTrue(e.getMessage().contains("64 hexadecimal digits"), e.getMessage());
        String pickle = badHash.replace("m.onnx\", \"sha256\": \"1234\"", "model.ckpt\"");
        e = assertThrows(GenAiException.class, () -> Catalog.parse(new StringReader(pickle), "F"));
        assertTrue(e.getMessage().contains("arbitrary code"), e.getMessage());
    }

    @Test
    void aCatalogueThatCannotBeReadIsAGenAiExceptionNamingTheFile(@TempDir Path user) throws Exception {
        Path missing = user.resolve("catalog.json");
        GenAiException e = assertThrows(GenAiException.class, () -> Catalog.read(missing));
        assertEquals("reading catalog " + missing + ": no such file or folder " + missing, e.getMessage());
        Path manifest = user.resolve("model/" + Manifest.FILE_NAME);
        e = assertThrows(GenAiException.class, () -> Manifest.read(manifest));
        assertEquals("reading manifest " + manifest + ": no such file or folder " + manifest, e.getMessage());
    }

    @Test
    void resolveUrlsFollowTheHubForm() {
        DownloadSettings settings = DownloadSettings.defaults();
        assertEquals("https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/main/onnx/text_model.onnx",
                new DownloadSettings(java.net.URI.create("https://huggingface.co"), false, settings.sslContext(),
                        null, settings.connectTimeout(), settings.idleTimeout(), 0, java.util.Optional.empty())
                        .resolveUrl("Xenova/clip-vit-base-patch32", "main", "onnx/text_model.onnx").toString());
        assertTrue(settings.resolveUrl("a/b", "refs/pr/1", "x y.json").toString()
                .endsWith("/a/b/resolve/refs%2Fpr%2F1/x%20y.json"));
    }

    @Test
    void theTokenIsReadFromTheEnvironmentOrTheFileAndNeverPrinted(@TempDir Path home) throws Exception {
        assertTrue(HubToken.find(java.util.Map.of(), home).isEmpty());
        Path file = home.resolve(".cache/huggingface/token");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "hf_from_file\n");
        HubToken fromFile = HubToken.find(java.util.Map.of(), home).orElseThrow();
        assertEquals("Bearer hf_from_file", fromFile.authorization());
        HubToken fromEnv = HubToken.find(java.util.Map.of("HF_TOKEN", "hf_env"), home).orElseThrow();
        assertEquals("Bearer hf_env", fromEnv.authorization());
        assertFalse(fromEnv.toString().contains("hf_env") || fromFile.toString().contains("hf_from_file"));
    }
}
