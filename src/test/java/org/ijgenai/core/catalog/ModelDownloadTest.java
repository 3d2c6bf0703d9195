package org.ijgenai.core.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.CancelledException;

/** Pulls models from a fake hub on loopback over HTTPS: success, resume, corruption, size, redirects, faults. */
class ModelDownloadTest {

    private static final String REPO = "acme/tiny-model";
    private static final String REVISION = "main";
    /** A valid ModelProto: ir_version 8 and a producer name, so the external-data check can parse it. */
    private static final byte[] TINY_ONNX = {0x08, 0x08, 0x12, 0x04, 't', 'e', 's', 't'};

    @TempDir
    Path root;
    private FakeHub hub;

    @BeforeEach
    void startHub() throws Exception {
        hub = FakeHub.start();
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static CatalogEntry entry(String name, List<ModelFile> files, Long totalSize) {
        return new CatalogEntry(name, ModelTask.SEGMENTATION, "onnx-descriptor", "test model",
                new ModelSource(ModelSource.HUGGING_FACE, REPO, REVISION, files, null, null, null), totalSize,
                new Licence("MIT", "https://example.org/mit"), null, null, "test");
    }

    private ModelInstaller.InstallReport install(CatalogEntry entry, int retries) throws IOException {
        return new ModelInstaller(hub.settings(retries)).install(entry, root, DownloadListener.NONE,
                new CancellationToken());
    }

    private void assertNothingInstalled(String name) {
        assertFalse(Files.exists(root.resolve(name)), "no folder may look installed after a failure");
    }

    @Test
    void normalDownloadInstallsEveryFileWithManifestAndTellsHowEachWasChecked() throws Exception {
        byte[] descriptor = "{\"task\": \"segmentation\"}".getBytes();
        byte[] weights = random(200_000, 1);
        byte[] readme = "hello".getBytes();
        hub.put(REPO, REVISION, "descriptor.json", descriptor).gitFile();
        hub.put(REPO, REVISION, "model.onnx", TINY_ONNX).redirect();
        FakeHub.Served data = hub.put(REPO, REVISION, "sub/model.onnx_data", weights).redirect();
        hub.put(REPO, REVISION, "README.md", readme).gitFile();
        List<DownloadProgress> reports = new ArrayList<>();
        CatalogEntry entry = entry("tiny", List.of(
                new ModelFile("descriptor.json", null, null, null),
                new ModelFile("model.onnx", (long) TINY_ONNX.length, null, null),
                new ModelFile("sub/model.onnx_data", (long) weights.length, data.sha256(), null),
                new ModelFile("README.md", null, null, null)), null);

        ModelInstaller.InstallReport report = new ModelInstaller(hub.settings(0)).install(entry, root,
                reports::add, new CancellationToken());

        Path folder = root.resolve("tiny");
        assertEquals(folder, report.folder());
        assertArrayEquals(weights, Files.readAllBytes(folder.resolve("sub/model.onnx_data")));
        assertArrayEquals(TINY_ONNX, Files.readAllBytes(folder.resolve("model.onnx")));
        Map<String, Provenance> checks = report.manifest().files().stream()
                .collect(Collectors.toMap(Manifest.Entry::path, Manifest.Entry::provenance));
        assertEquals(Provenance.CATALOGUE, checks.get("sub/model.onnx_data"));
        assertEquals(Provenance.SERVER, checks.get("model.onnx"), "X-Linked-Etag carried the SHA-256");
        assertEquals(Provenance.FIRST_USE, checks.get("descriptor.json"), "a git ETag is not a SHA-256");
        assertEquals(FakeHub.COMMIT, report.manifest().resolvedCommit());
        assertEquals(ModelLayout.ONNX_DESCRIPTOR, report.layout().format());
        assertTrue(report.warnings().stream().anyMatch(w -> w.contains("is a branch")), report.warnings()
                .toString());
        assertEquals(report.manifest(), Manifest.read(folder.resolve(Manifest.FILE_NAME)));
        assertFalse(Files.exists(ModelDirectories.stagingRoot(root).resolve("tiny")), "staging is moved away");
        DownloadProgress last = reports.get(reports.size() - 1);
        assertEquals(descriptor.length + TINY_ONNX.length + weights.length + readme.length, last.done());
        assertTrue(last.bytesPerSecond() > 0);
        assertTrue(hub.log().stream().anyMatch(l -> l.startsWith("GET /cdn/")), "LFS files came via redirect");
        assertTrue(hub.log().get(0).startsWith("GET /acme/tiny-model/resolve/main/descriptor.json"));
        assertTrue(hub.log().stream().skip(1).filter(l -> l.contains("/resolve/"))
                .allMatch(l -> l.contains("/resolve/" + FakeHub.COMMIT + "/")),
                "after the first file, the branch's commit is used: " + hub.log());
    }

    @Test
    void interruptedDownloadIsResumedWithARangeRequest() throws Exception {
        byte[] weights = random(300_000, 2);
        FakeHub.Served served = hub.put(REPO, REVISION, "model.onnx_data", weights).cutAfter(100_000, 1);
        CatalogEntry entry = entry("resumable", List.of(new ModelFile("model.onnx_data", (long) weights.length,
                served.sha256(), null)), null);

        GenAiException interrupted = assertThrows(GenAiException.class, () -> install(entry, 0));
        assertTrue(interrupted.getMessage().contains("run the same pull again"), interrupted.getMessage());
        assertNothingInstalled("resumable");
        Path part = ModelDirectories.stagingRoot(root).resolve("resumable/model.onnx_data.part");
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept <= 100_000, "kept " + kept + " bytes for the resume");

        install(entry, 0);

        assertArrayEquals(weights, Files.readAllBytes(root.resolve("resumable/model.onnx_data")));
        assertTrue(hub.log().stream().anyMatch(l -> l.contains("range=bytes=" + kept + "-")), hub.log()
                .toString());
    }

    @Test
    void aPartialFileIsDiscardedWhenTheServerContentChangedMeanwhile() throws Exception {
        byte[] before = random(120_000, 12);
        byte[] after = random(120_000, 13);
        hub.put(REPO, REVISION, "model.onnx_data", before).cutAfter(60_000, 1);
        CatalogEntry entry = entry("changed", List.of(new ModelFile("model.onnx_data", null, null, null)), null);
        assertThrows(GenAiException.class, () -> install(entry, 0));
        hub.put(REPO, REVISION, "model.onnx_data", after);

        ModelInstaller.InstallReport report = install(entry, 0);

        assertArrayEquals(after, Files.readAllBytes(root.resolve("changed/model.onnx_data")),
                "no mix of the old prefix and the new suffix");
        assertEquals(Provenance.SERVER, report.manifest().files().get(0).provenance());
        assertEquals(List.of("model.onnx_data"), Manifest.listFiles(root.resolve("changed")),
                "no sidecar or partial file is left in the model");
    }

    @Test
    void anInterruptionIsResumedAutomaticallyWithinOnePull() throws Exception {
        byte[] weights = random(150_000, 3);
        hub.put(REPO, REVISION, "model.onnx_data", weights).cutAfter(50_000, 2);
        install(entry("retried", List.of(new ModelFile("model.onnx_data", null, null, null)), null), 3);
        assertArrayEquals(weights, Files.readAllBytes(root.resolve("retried/model.onnx_data")));
        assertEquals(2, hub.log().stream().filter(l -> l.contains("range=bytes=")).count(), hub.log().toString());
    }

    @Test
    void aCorruptedByteFailsTheCatalogueChecksumAndInstallsNothing() throws Exception {
        byte[] weights = random(100_000, 4);
        FakeHub.Served served = hub.put(REPO, REVISION, "model.onnx_data", weights).corruptByte(77_777);
        CatalogEntry entry = entry("corrupt", List.of(new ModelFile("model.onnx_data", (long) weights.length,
                served.sha256(), null)), null);

        GenAiException e = assertThrows(GenAiException.class, () -> install(entry, 0));

        assertTrue(e.getMessage().contains("checksum mismatch for model.onnx_data"), e.getMessage());
        assertNothingInstalled("corrupt");
        assertFalse(Files.exists(ModelDirectories.stagingRoot(root).resolve("corrupt/model.onnx_data.part")));
        assertFalse(Files.exists(ModelDirectories.stagingRoot(root).resolve("corrupt/model.onnx_data")));
    }

    @Test
    void aCorruptedByteFailsTheServersAnnouncedChecksum() throws Exception {
        byte[] weights = random(50_000, 5);
        hub.put(REPO, REVISION, "model.onnx_data", weights).redirect().corruptByte(3);
        GenAiException e = assertThrows(GenAiException.class, () -> install(entry("corrupt2",
                List.of(new ModelFile("model.onnx_data", null, null, null)), null), 0));
        assertTrue(e.getMessage().contains("the server announced SHA-256"), e.getMessage());
        assertNothingInstalled("corrupt2");
    }

    @Test
    void aWrongSizeIsRefusedBeforeAndAfterTheTransfer() throws Exception {
        byte[] weights = random(40_000, 6);
        hub.put(REPO, REVISION, "model.onnx_data", weights);
        hub.put(REPO, REVISION, "plain.onnx_data", weights).gitFile();

        GenAiException announced = assertThrows(GenAiException.class, () -> install(entry("wrong-size",
                List.of(new ModelFile("model.onnx_data", 39_000L, null, null)), null), 0));
        assertTrue(announced.getMessage().contains("size mismatch"), announced.getMessage());
        assertTrue(announced.getMessage().contains("39000") && announced.getMessage().contains("40000"));
        assertNothingInstalled("wrong-size");

        GenAiException bigger = assertThrows(GenAiException.class, () -> install(entry("wrong-size2",
                List.of(new ModelFile("plain.onnx_data", 40_001L, null, null)), null), 0));
        assertTrue(bigger.getMessage().contains("size mismatch"), bigger.getMessage());
        assertNothingInstalled("wrong-size2");
    }

    @Test
    void redirectsAreFollowedAndTheTokenNeverLeavesTheHub() throws Exception {
        try (FakeHub cdn = FakeHub.start()) {
            byte[] weights = random(30_000, 7);
            FakeHub.Served onCdn = cdn.put("cdn", "x", "blob", weights);
            hub.put(REPO, REVISION, "model.onnx_data", weights).redirectTo(URI.create(cdn.uri() + "/cdn/"
                    + onCdn.id + "#"));
            DownloadSettings settings = hub.settings(0).withToken(HubToken.of("hf_secret_value", "test"));

            new ModelInstaller(settings).install(entry("redirected", List.of(new ModelFile("model.onnx_data",
                    null, null, null)), null), root, DownloadListener.NONE, new CancellationToken());

            assertArrayEquals(weights, Files.readAllBytes(root.resolve("redirected/model.onnx_data")));
            assertTrue(hub.log().get(0).endsWith("auth=yes"), hub.log().toString());
            assertTrue(cdn.log().stream().allMatch(l -> l.endsWith("auth=no")), cdn.log().toString());
            assertFalse(settings.toString().contains("hf_secret_value"), "the token is never printed");
        }
    }

    @Test
    void downloadsGoThroughTheConfiguredProxy() throws Exception {
        byte[] weights = random(20_000, 11);
        hub.put(REPO, REVISION, "model.onnx_data", weights);
        try (TunnelProxy proxy = new TunnelProxy()) {
            DownloadSettings settings = hub.settings(0).withProxy(java.net.ProxySelector.of(proxy.address()));
            new ModelInstaller(settings).install(entry("proxied", List.of(new ModelFile("model.onnx_data", null,
                    null, null)), null), root, DownloadListener.NONE, new CancellationToken());
            assertArrayEquals(weights, Files.readAllBytes(root.resolve("proxied/model.onnx_data")));
            assertEquals(List.of("127.0.0.1:" + hub.uri().getPort()), proxy.connects());
        }
    }

    @Test
    void theHttpsProxyVariableIsUsedUnlessTheHostIsExcluded() {
        java.net.ProxySelector fallback = java.net.ProxySelector.of(null);
        assertEquals(fallback, EnvironmentProxy.choose(Map.of(), fallback));
        java.net.ProxySelector fromEnv = EnvironmentProxy.choose(Map.of("HTTPS_PROXY", "http://proxy.corp:3128",
                "NO_PROXY", "localhost,.internal"), fallback);
        assertEquals("proxy.corp:3128", fromEnv.select(URI.create("https://huggingface.co/x")).get(0).address()
                .toString().replace("/<unresolved>", ""));
        assertEquals(java.net.Proxy.NO_PROXY, fromEnv.select(URI.create("https://hub.internal/x")).get(0));
        assertEquals(java.net.Proxy.NO_PROXY, fromEnv.select(URI.create("https://localhost/x")).get(0));
    }

    @Test
    void aRedirectToPlainHttpIsRefused() throws Exception {
        hub.put(REPO, REVISION, "model.onnx_data", random(1000, 8))
                .redirectTo(URI.create("http://127.0.0.1:9"));
        GenAiException e = assertThrows(GenAiException.class, () -> install(entry("insecure",
                List.of(new ModelFile("model.onnx_data", null, null, null)), null), 0));
        assertTrue(e.getMessage().contains("only https://"), e.getMessage());
        assertNothingInstalled("insecure");
    }

    @Test
    void aMissingFileReportsTheNotFoundAndInstallsNothing() throws Exception {
        hub.put(REPO, REVISION, "model.onnx", TINY_ONNX);
        GenAiException e = assertThrows(GenAiException.class, () -> install(entry("absent", List.of(
                new ModelFile("model.onnx", null, null, null), new ModelFile("missing.json", null, null, null)),
                null), 0));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains("/acme/tiny-model/resolve/" + FakeHub.COMMIT + "/missing.json"),
                e.getMessage());
        assertNothingInstalled("absent");
    }

    @Test
    void aSlowDownloadIsCancelledPromptly() throws Exception {
        hub.put(REPO, REVISION, "model.onnx_data", random(2_000_000, 9)).slow(1000, 20);
        CancellationToken cancel = new CancellationToken();
        AtomicLong seen = new AtomicLong();
        CatalogEntry entry = entry("slow", List.of(new ModelFile("model.onnx_data", null, null, null)), null);
        long started = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(CancelledException.class,
                () -> new ModelInstaller(hub.settings(0)).install(entry, root, progress -> {
                    seen.set(progress.done());
                    if (progress.done() > 5_000) {
                        cancel.cancel();
                    }
                }, cancel)));
        assertTrue(seen.get() > 0 && seen.get() < 2_000_000);
        assertTrue((System.nanoTime() - started) / 1e9 < 10, "cancel took too long");
        assertNothingInstalled("slow");
    }

    @Test
    void aStalledServerIsDroppedAfterTheIdleTimeout() throws Exception {
        hub.put(REPO, REVISION, "model.onnx_data", random(10_000, 10)).slow(100, 3000);
        DownloadSettings settings = hub.settings(0).withIdleTimeout(Duration.ofMillis(500));
        GenAiException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(
                GenAiException.class, () -> new ModelInstaller(settings).install(entry("stalled", List.of(
                        new ModelFile("model.onnx_data", null, null, null)), null), root, DownloadListener.NONE,
                        new CancellationToken())));
        assertTrue(e.getMessage().contains("no data from the server"), e.getMessage());
    }

    @Test
    void pathTraversalInNamesAndFilesIsRefusedBeforeAnyRequest() throws Exception {
        for (String name : new String[] {"../evil", "..", "a/b", "/abs", ".hidden", "a\\b", "C:x", ""}) {
            assertThrows(GenAiException.class, () -> ModelName.folderIn(root, name), name);
        }
        String catalogue = "{\"format\": \"ij-genai-model-catalog\", \"models\": [{\"name\": \"../../escape\","
                + " \"task\": \"style\", \"source\": {\"type\": \"huggingface\", \"repo\": \"a/b\","
                + " \"revision\": \"main\", \"files\": [\"m.onnx\"]}}]}";
        GenAiException badName = assertThrows(GenAiException.class,
                () -> Catalog.parse(new StringReader(catalogue), "test"));
        assertTrue(badName.getMessage().contains("invalid model name"), badName.getMessage());
        for (String path : new String[] {"../outside.onnx", "a/../../b.onnx", "/etc/passwd", "a//b.json"}) {
            assertThrows(GenAiException.class, () -> new ModelFile(path, null, null, null), path);
        }
        ModelStore store = new ModelStore(new ModelDirectories(null, root), hub.settings(0));
        assertThrows(GenAiException.class, () -> store.pull("../escape", null, DownloadListener.NONE,
                new CancellationToken()));
        assertEquals(List.of(), hub.log(), "nothing was requested");
    }

    @Test
    void pickleWeightsAreRefusedWithAnExplanation() {
        GenAiException e = assertThrows(GenAiException.class, () -> install(entry("pickled",
                List.of(new ModelFile("model.ckpt", null, null, null)), null), 0));
        assertTrue(e.getMessage().contains("arbitrary code"), e.getMessage());
        for (String name : new String[] {"pytorch_model.bin", "x.pt", "x.pth", "x.pkl"}) {
            assertFalse(FileSafety.isAllowed(name), name);
        }
        for (String name : new String[] {"unet/model.onnx", "unet/weights.pb", "model.onnx_data", "a.safetensors",
                "vocab.json", "merges.txt"}) {
            assertTrue(FileSafety.isAllowed(name), name);
        }
    }

    @Test
    void theOfflineSwitchRefusesBeforeConnecting() {
        DownloadSettings offline = hub.settings(0).withOffline(true);
        GenAiException e = assertThrows(GenAiException.class, () -> new ModelInstaller(offline).install(
                entry("offline", List.of(new ModelFile("model.onnx", null, null, null)), null), root,
                DownloadListener.NONE, new CancellationToken()));
        assertTrue(e.getMessage().contains("offline mode is on"), e.getMessage());
        assertEquals(List.of(), hub.log());
    }

    @Test
    void notEnoughDiskSpaceIsReportedBeforeDownloading() {
        GenAiException e = assertThrows(GenAiException.class, () -> install(entry("huge",
                List.of(new ModelFile("model.onnx", null, null, null)), Long.MAX_VALUE / 4), 0));
        assertTrue(e.getMessage().contains("not enough disk space"), e.getMessage());
        assertEquals(List.of(), hub.log());
        assertFalse(Files.exists(ModelDirectories.stagingRoot(root).resolve("huge")), "no empty staging folder");
    }

    @Test
    void anExternalDataLocationOutsideTheFolderIsRefusedAfterDownload() throws Exception {
        byte[] escaping = Files.readAllBytes(Path.of(getClass().getResource("onnx/external_escape.onnx").toURI()));
        hub.put(REPO, REVISION, "model.onnx", escaping);
        GenAiException e = assertThrows(GenAiException.class, () -> install(entry("escaping",
                List.of(new ModelFile("model.onnx", null, null, null)), null), 0));
        assertTrue(e.getMessage().contains("outside the model folder"), e.getMessage());
        assertNothingInstalled("escaping");
    }
}
