package org.ijgenai.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.progress.CancellationToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Download sizes the catalogue lacks come from the hub's announcements (X-Linked-Size of a large file behind a
 * redirect, the length of a small one) on request, without downloading, and later listings show them offline.
 */
class HubSizesTest {

    private static final String REPO = "acme/sized-model";

    @TempDir
    Path user;
    private FakeHub hub;

    @BeforeEach
    void startHub() throws Exception {
        hub = FakeHub.start();
        Files.writeString(user.resolve(Catalog.FILE_NAME), "{\"format\": \"ij-genai-model-catalog\", \"models\": ["
                + "{\"name\": \"sized\", \"task\": \"segmentation\", \"format\": \"onnx-descriptor\", \"source\":"
                + " {\"type\": \"huggingface\", \"repo\": \"" + REPO + "\", \"revision\": \"main\", \"files\":"
                + " [\"segmentation.json\", \"model.onnx\"]}}]}");
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private ModelStore.Row row(ModelStore store) {
        return store.list().stream().filter(r -> r.name().equals("sized")).findFirst().orElseThrow();
    }

    @Test
    void sizesAreLookedUpOnRequestAndShownOfflineAfterwards() throws Exception {
        hub.put(REPO, "main", "segmentation.json", new byte[123]).gitFile();
        hub.put(REPO, "main", "model.onnx", new byte[250_000]).redirect();
        ModelDirectories dirs = new ModelDirectories(null, user);
        ModelStore store = new ModelStore(dirs, hub.settings(0));
        assertNull(row(store).size(), "the catalogue records no size");
        List<String> lines = store.lookUpSizes(new CancellationToken());
        assertTrue(lines.contains("sized: " + DownloadProgress.bytes(250_123)), lines.toString());
        ModelStore offline = new ModelStore(dirs, hub.settings(0).withOffline(true));
        assertEquals(Long.valueOf(250_123), row(offline).size());
        assertTrue(hub.log().stream().noneMatch(r -> r.startsWith("GET /cdn/")),
                "the large file's size came from the hub's header, not from downloading it: " + hub.log());
        GenAiException e = assertThrows(GenAiException.class, () -> offline.lookUpSizes(new CancellationToken()));
        assertTrue(e.getMessage().contains("offline mode is on"), e.getMessage());
    }
}
