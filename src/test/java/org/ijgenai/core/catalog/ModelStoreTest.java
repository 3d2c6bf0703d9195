package org.ijgenai.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.progress.CancellationToken;

/** Verify, add, remove and list on real folders. */
class ModelStoreTest {

    @TempDir
    Path temp;
    private Path bundled;
    private Path user;
    private ModelStore store;

    @BeforeEach
    void createStore() throws Exception {
        bundled = Files.createDirectories(temp.resolve("bundled"));
        user = temp.resolve("user");
        DownloadSettings offline = new DownloadSettings(URI.create("https://hub.invalid"), true,
                SSLContext.getDefault(), null, Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Optional.empty());
        store = new ModelStore(new ModelDirectories(bundled, user), offline);
    }

    /** A small model in the transformers.js CLIP layout, with an ONNX file whose weights are external. */
    private static Path clipFolder(Path folder) throws Exception {
        Files.createDirectories(folder.resolve("onnx"));
        Path fixtures = Path.of(ModelStoreTest.class.getResource("onnx/external_inside.onnx").toURI()).getParent();
        Files.copy(fixtures.resolve("external_inside.onnx"), folder.resolve("onnx/text_model.onnx"));
        Files.copy(fixtures.resolve("external_inside.onnx"), folder.resolve("onnx/vision_model.onnx"));
        Files.copy(fixtures.resolve("weights.bin"), folder.resolve("onnx/weights.bin"));
        Files.writeString(folder.resolve("tokenizer.json"), "{\"model\": {}}");
        Files.writeString(folder.resolve("preprocessor_config.json"), "{\"crop_size\": 224}");
        Files.writeString(folder.resolve("merges.txt"), "#version: 0.2\na b\n");
        return folder;
    }

    @Test
    void verifyPassesOnAnIntactModelAndFindsAFlippedByteInAnyFile() throws Exception {
        Path folder = clipFolder(user.resolve("tiny-clip"));
        store.add(folder, "tiny-clip");
        ModelStore.Verification intact = store.verify("tiny-clip", DownloadListener.NONE, new CancellationToken());
        assertTrue(intact.ok(), intact.failures().toString());
        assertEquals(ModelLayout.TRANSFORMERS_JS_CLIP, intact.layout().format());
        List<String> files = Manifest.listFiles(folder);
        assertEquals(6, files.size());
        assertEquals(files.size(), intact.filesChecked());
        for (String path : files) {
            Path file = folder.resolve(path);
            byte[] original = Files.readAllBytes(file);
            byte[] flipped = original.clone();
            flipped[original.length / 2] ^= 0x10;
            Files.write(file, flipped);
            ModelStore.Verification broken = store.verify(folder.toString(), DownloadListener.NONE,
                    new CancellationToken());
            assertFalse(broken.ok(), "a flipped byte in " + path + " must be found");
            assertTrue(broken.failures().stream().anyMatch(f -> f.startsWith(path + ": SHA-256")),
                    broken.failures().toString());
            Files.write(file, original);
        }
        Files.delete(folder.resolve("merges.txt"));
        assertTrue(store.verify("tiny-clip", DownloadListener.NONE, new CancellationToken()).failures()
                .contains("merges.txt: missing"));
    }

    @Test
    void aFolderElsewhereIsRegisteredInPlaceAndRemovalLeavesItsFiles() throws Exception {
        Path folder = clipFolder(temp.resolve("elsewhere/my-clip"));
        ModelStore.Installed added = store.add(folder, "my-clip");
        assertEquals(ModelStore.Location.LOCAL, added.location());
        assertFalse(Files.exists(folder.resolve(Manifest.FILE_NAME)), "the user's folder is not written to");
        assertTrue(Files.isRegularFile(user.resolve(".manifests/my-clip.json")));
        ModelStore.Row row = store.list().stream().filter(r -> r.name().equals("my-clip")).findFirst().orElseThrow();
        assertEquals("local", row.status());
        assertEquals(ModelTask.CLIP, row.task());
        assertTrue(store.verify("my-clip", DownloadListener.NONE, new CancellationToken()).ok());
        // A fresh store reads the registration back from the user's catalogue.
        ModelStore again = new ModelStore(store.directories(), store.settings());
        assertNotNull(again.find("my-clip"));

        assertTrue(store.remove("my-clip").startsWith("unregistered"));
        assertTrue(Files.isRegularFile(folder.resolve("onnx/text_model.onnx")));
        assertEquals(null, store.find("my-clip"));
    }

    @Test
    void aFolderWithPickleWeightsIsRefused() throws Exception {
        Path folder = clipFolder(temp.resolve("pickled"));
        Files.write(folder.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        GenAiException e = assertThrows(GenAiException.class, () -> store.add(folder, "pickled"));
        assertTrue(e.getMessage().contains("pytorch_model.bin") && e.getMessage().contains("arbitrary code"),
                e.getMessage());
    }

    @Test
    void anArchiveIsExtractedSafelyAndOneThatEscapesIsRefused() throws Exception {
        Path good = temp.resolve("good.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(good))) {
            put(zip, "style-model/model.onnx", new byte[] {0x08, 0x07});
            put(zip, "style-model/descriptor.json", "{\"task\": \"style\"}".getBytes());
        }
        ModelStore.Installed installed = store.add(good, "zipped-style");
        assertEquals(user.resolve("zipped-style"), installed.folder());
        assertEquals(ModelLayout.ONNX_DESCRIPTOR, ModelLayout.detect(installed.folder()).format());
        assertTrue(store.verify("zipped-style", DownloadListener.NONE, new CancellationToken()).ok());

        Path evil = temp.resolve("evil.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(evil))) {
            put(zip, "model.onnx", new byte[] {0x08, 0x07});
            put(zip, "../../escaped.json", "{}".getBytes());
        }
        GenAiException e = assertThrows(GenAiException.class, () -> store.add(evil, "evil"));
        assertTrue(e.getMessage().contains("../../escaped.json"), e.getMessage());
        assertFalse(Files.exists(temp.resolve("escaped.json")));
        assertFalse(Files.exists(user.resolve("evil")));
        assertFalse(Files.exists(ModelDirectories.stagingRoot(user).resolve("evil")));
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws Exception {
        zip.putNextEntry(new ZipEntry(name));
        OutputStream out = zip;
        out.write(data);
        zip.closeEntry();
    }

    @Test
    void listShowsBundledInstalledAndCatalogueModels() throws Exception {
        clipFolder(bundled.resolve("shapes-clip"));
        store.add(bundled.resolve("shapes-clip"), "shapes-clip");
        clipFolder(user.resolve("downloaded"));
        List<ModelStore.Row> rows = store.list();
        ModelStore.Row shapes = rows.stream().filter(r -> r.name().equals("shapes-clip")).findFirst().orElseThrow();
        assertEquals("bundled", shapes.status());
        assertEquals("installed", rows.stream().filter(r -> r.name().equals("downloaded")).findFirst()
                .orElseThrow().status());
        assertEquals("needs setup", rows.stream().filter(r -> r.name().equals("isnet-small")).findFirst().orElseThrow()
                .status());
        assertTrue(rows.stream().anyMatch(r -> r.name().equals("sd-turbo-onnx") && r.status().equals("available")));
        GenAiException e = assertThrows(GenAiException.class, () -> store.remove("shapes-clip"));
        assertTrue(e.getMessage().contains("bundled"), e.getMessage());
        assertTrue(store.remove("downloaded").startsWith("removed"));
        assertFalse(Files.exists(user.resolve("downloaded")));
    }

    @Test
    void anIoFailureIsAGenAiExceptionSayingWhatWasBeingDone() throws Exception {
        Path elsewhere = clipFolder(temp.resolve("elsewhere/clip"));
        // A folder where the user's catalogue file should be: registering the model cannot replace it.
        Files.createDirectories(user.resolve(Catalog.FILE_NAME).resolve("keep"));
        GenAiException e = assertThrows(GenAiException.class, () -> store.add(elsewhere, "clip"));
        assertTrue(e.getMessage().startsWith("adding " + elsewhere + " as clip: " + user.resolve(Catalog.FILE_NAME)),
                e.getMessage());
    }

    @Test
    void aModelInTheModelsFolderMustKeepItsFolderName() throws Exception {
        clipFolder(user.resolve("named"));
        GenAiException e = assertThrows(GenAiException.class, () -> store.add(user.resolve("named"), "other"));
        assertTrue(e.getMessage().contains("its name is its folder name"), e.getMessage());
    }
}
