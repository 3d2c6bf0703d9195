package org.ijgenai.core.catalog;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.progress.CancellationToken;

/**
 * The model manager: lists installed and catalogue models, pulls, verifies, adds and removes them. The CLI and the
 * Models window are thin front ends over this class. Every failure, I/O included, is a {@link GenAiException}
 * that says what was being done to which file.
 */
public final class ModelStore {

    private final ModelDirectories directories;
    private final DownloadSettings settings;
    private Catalog catalog;

    /** Where an installed model lives. */
    public enum Location {
        /** In the bundled models folder of the installation. */
        BUNDLED,
        /** In the user's models folder (downloaded or extracted). */
        USER,
        /** A folder elsewhere, registered in place with {@code models add}. */
        LOCAL
    }

    /** An installed model: its folder and where its manifest is (which may not exist). */
    public record Installed(String name, Path folder, Location location, Path manifestFile) { }

    /**
     * One row of the model table.
     *
     * @param size bytes, or null when unknown
     * @param status "bundled", "installed", "local", "available", "needs setup", "partial download" or "missing"
     * @param location the folder, or the source for models that are not installed
     */
    public record Row(String name, ModelTask task, String format, Long size, Licence licence, String status,
            String location, CatalogEntry entry, Installed installed) { }

    /** The outcome of {@link #verify}. */
    public record Verification(String name, Path folder, ModelLayout layout, int filesChecked, long bytesChecked,
            List<String> failures, List<String> notes) {

        /** Whether every recorded file is intact and nothing unsafe was found. */
        public boolean ok() {
            return failures.isEmpty();
        }
    }

    /** Creates a store over {@code directories}, downloading with {@code settings}. */
    public ModelStore(ModelDirectories directories, DownloadSettings settings) {
        this.directories = directories;
        this.settings = settings;
        this.catalog = Catalog.load(directories);
    }

    /** The folders in use. */
    public ModelDirectories directories() {
        return directories;
    }

    /** The download settings in use. */
    public DownloadSettings settings() {
        return settings;
    }

    /** The merged catalogue. */
    public Catalog catalog() {
        return catalog;
    }

    /** Re-reads the catalogue files, e.g. after a user edited theirs. */
    public void reload() {
        catalog = Catalog.load(directories);
    }

    /** Every installed model and every catalogue model, installed ones first, each name once. */
    public List<Row> list() {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (Installed model : installed()) {
            if (rows.containsKey(model.name())) {
                continue;
            }
            CatalogEntry entry = catalog.find(model.name());
            Manifest manifest = Files.isRegularFile(model.manifestFile()) ? Manifest.read(model.manifestFile())
                    : null;
            ModelLayout layout = ModelLayout.detect(model.folder());
            ModelTask task = manifest != null ? manifest.task() : layout.task() != ModelTask.OTHER ? layout.task()
                    : entry != null ? entry.task() : ModelTask.OTHER;
            Long size = manifest != null ? Long.valueOf(manifest.totalSize())
                    : Long.valueOf(sizeOfFolder(model.folder()));
            String status = switch (model.location()) {
                case BUNDLED -> "bundled";
                case USER -> "installed";
                default -> Files.isDirectory(model.folder()) ? "local" : "missing";
            };
            rows.put(model.name(), new Row(model.name(), task, layout.format(), size,
                    entry != null ? entry.licence() : Licence.UNKNOWN, status, model.folder().toString(), entry,
                    model));
        }
        HubSizes hubSizes = HubSizes.load(directories.user());
        for (CatalogEntry entry : catalog.entries()) {
            if (rows.containsKey(entry.name())) {
                continue;
            }
            Long size = entry.knownSize() != null ? entry.knownSize() : hubSizes.get(entry);
            String status = ModelSource.NPM_SETUP.equals(entry.source().type()) ? "needs setup"
                    : Files.isDirectory(ModelDirectories.stagingRoot(directories.user()).resolve(entry.name()))
                            ? "partial download" : "available";
            rows.put(entry.name(), new Row(entry.name(), entry.task(), entry.format(), size, entry.licence(), status,
                    entry.source().describe(), entry, null));
        }
        return new ArrayList<>(rows.values());
    }

    /**
     * Looks up, from the hub, the download size of every catalogue model that is not installed and whose size the
     * catalogue does not record, and remembers them for later listings. This opens network connections, so only a
     * user's request calls it.
     *
     * @return one line per model looked up: its size, or why it is unknown
     */
    public List<String> lookUpSizes(CancellationToken cancel) {
        if (settings.offline()) {
            throw new GenAiException("offline mode is on (ijgenai.offline / $" + DownloadSettings.OFFLINE_ENV
                    + "): sizes come from the hub, so none was looked up");
        }
        HubSizes hubSizes = HubSizes.load(directories.user());
        List<String> lines = new ArrayList<>();
        try {
            for (Row row : list()) {
                if (row.installed() != null || row.size() != null || row.entry() == null
                        || !row.entry().source().isDownloadable()) {
                    continue;
                }
                try {
                    lines.add(row.name() + ": " + DownloadProgress.bytes(hubSizes.lookUp(row.entry(), settings,
                            cancel)));
                } catch (GenAiException e) {
                    lines.add(row.name() + ": size unknown (" + e.getMessage() + ")");
                }
            }
        } finally {
            hubSizes.save();
        }
        return lines;
    }

    /** The installed models: the user folder first (it hides a bundled model of the same name), bundled, local. */
    public List<Installed> installed() {
        List<Installed> models = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Path root : new Path[] {directories.user(), directories.bundled()}) {
            if (root == null || !Files.isDirectory(root)) {
                continue;
            }
            Location location = root.equals(directories.user()) ? Location.USER : Location.BUNDLED;
            List<Path> folders = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(root)) {
                for (Path path : stream) {
                    String name = path.getFileName().toString();
                    if (Files.isDirectory(path) && ModelName.isValid(name)) {
                        folders.add(path);
                    }
                }
            } catch (IOException e) {
                throw GenAiException.io("listing the models in " + root, e);
            }
            folders.sort(null);
            for (Path folder : folders) {
                String name = folder.getFileName().toString();
                if (seen.add(name)) {
                    models.add(new Installed(name, folder, location, manifestFor(name, folder, location)));
                }
            }
        }
        for (CatalogEntry entry : catalog.entries()) {
            if (ModelSource.LOCAL.equals(entry.source().type()) && seen.add(entry.name())) {
                Path folder = Path.of(entry.source().path());
                models.add(new Installed(entry.name(), folder, Location.LOCAL,
                        manifestFor(entry.name(), folder, Location.LOCAL)));
            }
        }
        return models;
    }

    private Path manifestFor(String name, Path folder, Location location) {
        Path inside = folder.resolve(Manifest.FILE_NAME);
        if (location != Location.LOCAL || Files.isRegularFile(inside)) {
            return inside;
        }
        return directories.manifestsRoot().resolve(name + ".json");
    }

    /** The installed model called {@code name}, or null. */
    public Installed find(String name) {
        for (Installed model : installed()) {
            if (model.name().equals(name)) {
                return model;
            }
        }
        return null;
    }

    /**
     * Downloads catalogue model {@code name} into {@code root} (the user's folder when null).
     *
     * @throws GenAiException when the name is unknown, and as {@link ModelInstaller#install} does
     */
    public ModelInstaller.InstallReport pull(String name, Path root, DownloadListener listener,
            CancellationToken cancel) {
        ModelName.require(name);
        CatalogEntry entry = catalog.find(name);
        if (entry == null) {
            throw new GenAiException("no model called '" + name + "' in the catalogue; `ij-genai models list`"
                    + " shows the known names");
        }
        Path target = root != null ? root : directories.user();
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw GenAiException.io("creating the models folder " + target, e);
        }
        return new ModelInstaller(settings).install(entry, target, listener, cancel);
    }

    /**
     * Verifies an installed model, by name or by folder: every file recorded in its manifest must be present with
     * the recorded size and SHA-256, no file may be of a refused kind, and ONNX external data must stay inside.
     */
    public Verification verify(String nameOrFolder, DownloadListener listener, CancellationToken cancel) {
        Installed model = resolve(nameOrFolder);
        try {
            return verify(model, listener, cancel);
        } catch (IOException e) {
            throw GenAiException.io("verifying " + model.name() + " in " + model.folder(), e);
        }
    }

    private Verification verify(Installed model, DownloadListener listener, CancellationToken cancel)
            throws IOException {
        Path folder = model.folder();
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            failures.add("the folder " + folder + " does not exist");
            return new Verification(model.name(), folder, ModelLayout.detect(folder), 0, 0, failures, notes);
        }
        Manifest manifest = null;
        if (Files.isRegularFile(model.manifestFile())) {
            manifest = Manifest.read(model.manifestFile());
        } else {
            failures.add("no manifest (" + Manifest.FILE_NAME + "): nothing to compare with; record one with"
                    + " `ij-genai models add " + folder + " --name " + model.name() + "`");
        }
        List<String> present = Manifest.listFiles(folder);
        int checked = 0;
        long bytes = 0;
        if (manifest != null) {
            long total = manifest.totalSize();
            Set<String> recorded = new HashSet<>();
            int index = 0;
            for (Manifest.Entry entry : manifest.files()) {
                index++;
                cancel.throwIfCancelled();
                recorded.add(entry.path());
                Path file = ModelName.resolveInside(folder, entry.path());
                if (!Files.isRegularFile(file)) {
                    failures.add(entry.path() + ": missing");
                    continue;
                }
                long size = Files.size(file);
                if (size != entry.size()) {
                    failures.add(entry.path() + ": size " + size + " bytes, recorded " + entry.size());
                    continue;
                }
                String sha = Manifest.sha256(file);
                checked++;
                bytes += size;
                listener.progress(new DownloadProgress(entry.path(), index, manifest.files().size(), bytes, total,
                        0, -1));
                if (!sha.equals(entry.sha256())) {
                    failures.add(entry.path() + ": SHA-256 " + sha + " differs from the recorded " + entry.sha256()
                            + " (the file changed or is corrupt)");
                }
            }
            for (String path : present) {
                if (!recorded.contains(path)) {
                    notes.add(path + ": not in the manifest (added after install)");
                }
            }
            long firstUse = manifest.files().stream().filter(e -> e.provenance() == Provenance.FIRST_USE).count();
            if (firstUse > 0) {
                notes.add(firstUse + " of " + manifest.files().size() + " files were recorded on first use: this"
                        + " check proves they did not change since, not that they match the publisher's");
            }
        }
        failures.addAll(safetyProblems(folder, present));
        ModelLayout layout = ModelLayout.detect(folder);
        for (String problem : layout.problems()) {
            notes.add("layout: " + problem);
        }
        return new Verification(model.name(), folder, layout, checked, bytes, failures, notes);
    }

    /**
     * Adds a local model: a folder inside a models folder gets a manifest in place; a folder elsewhere is
     * registered in the user's catalogue with its manifest under {@code .manifests/}; a {@code .zip} archive is
     * extracted (safely) into the user's folder.
     *
     * @return the installed model
     */
    public Installed add(Path source, String name) {
        ModelName.require(name);
        try {
            return addFrom(source, name);
        } catch (IOException e) {
            throw GenAiException.io("adding " + source + " as " + name, e);
        }
    }

    private Installed addFrom(Path source, String name) throws IOException {
        if (Files.isRegularFile(source) && source.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
            Path target = ModelName.folderIn(directories.user(), name);
            if (Files.exists(target) || catalogHasLocal(name)) {
                throw new GenAiException("a model called " + name + " already exists; remove it first");
            }
            Path staging = ModelName.folderIn(ModelDirectories.stagingRoot(directories.user()), name);
            deleteTree(staging);
            Files.createDirectories(staging.getParent());
            ArchiveExtractor.extractZip(source, staging);
            Path root = singleChild(staging);
            requireSafe(root);
            ModelLayout layout = ModelLayout.detect(root);
            Manifest.record(root, name, layout.task(), layout.format(), "archive " + source.toAbsolutePath(),
                    Provenance.LOCAL).write(root.resolve(Manifest.FILE_NAME));
            Files.move(root, target, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(staging);
            return new Installed(name, target, Location.USER, target.resolve(Manifest.FILE_NAME));
        }
        if (!Files.isDirectory(source)) {
            throw new GenAiException("cannot add " + source + ": not a folder or a .zip archive");
        }
        Path folder = source.toRealPath();
        requireSafe(folder);
        ModelLayout layout = ModelLayout.detect(folder);
        if (layout.format().equals(ModelLayout.UNKNOWN)) {
            throw new GenAiException("cannot add " + folder + ": " + String.join("; ", layout.problems()));
        }
        for (Path root : new Path[] {directories.user(), directories.bundled()}) {
            if (root != null && Files.isDirectory(root) && folder.getParent().equals(root.toRealPath())) {
                if (!folder.getFileName().toString().equals(name)) {
                    throw new GenAiException(folder + " is in the models folder " + root + ", so its name is its"
                            + " folder name '" + folder.getFileName() + "', not '" + name + "'");
                }
                Manifest.record(folder, name, layout.task(), layout.format(), "local " + folder, Provenance.LOCAL)
                        .write(folder.resolve(Manifest.FILE_NAME));
                return new Installed(name, folder, root.equals(directories.user()) ? Location.USER
                        : Location.BUNDLED, folder.resolve(Manifest.FILE_NAME));
            }
        }
        if (Files.exists(ModelName.folderIn(directories.user(), name))
                || (directories.bundled() != null && Files.exists(ModelName.folderIn(directories.bundled(), name)))) {
            throw new GenAiException("a model called " + name + " is already installed; choose another name");
        }
        Path manifestFile = directories.manifestsRoot().resolve(name + ".json");
        Manifest.record(folder, name, layout.task(), layout.format(), "local " + folder, Provenance.LOCAL)
                .write(manifestFile);
        registerLocal(name, layout, folder);
        reload();
        return new Installed(name, folder, Location.LOCAL, manifestFile);
    }

    /**
     * Removes a model: deletes a model in the user's folder (and any partial download of it), or unregisters a
     * local folder without touching its files. Bundled models are not removed.
     *
     * @return a sentence saying what was done
     */
    public String remove(String name) {
        ModelName.require(name);
        try {
            return removeInstalled(name);
        } catch (IOException e) {
            throw GenAiException.io("removing " + name, e);
        }
    }

    private String removeInstalled(String name) throws IOException {
        Installed model = find(name);
        Path partial = ModelName.folderIn(ModelDirectories.stagingRoot(directories.user()), name);
        boolean hadPartial = Files.exists(partial);
        deleteTree(partial);
        if (model == null) {
            if (hadPartial) {
                return "deleted the partial download of " + name;
            }
            throw new GenAiException("no installed model called '" + name + "'");
        }
        switch (model.location()) {
            case BUNDLED -> throw new GenAiException(name + " is bundled with ij-genai in " + model.folder()
                    + "; it is not removed by the model manager");
            case USER -> {
                deleteTree(model.folder());
                return "removed " + name + " (" + model.folder() + ")";
            }
            default -> {
                unregisterLocal(name);
                Files.deleteIfExists(directories.manifestsRoot().resolve(name + ".json"));
                reload();
                return "unregistered " + name + "; its folder " + model.folder() + " was left as it is";
            }
        }
    }

    private Installed resolve(String nameOrFolder) {
        if (ModelName.isValid(nameOrFolder)) {
            Installed model = find(nameOrFolder);
            if (model != null) {
                return model;
            }
        }
        Path folder = Path.of(nameOrFolder);
        if (Files.isDirectory(folder)) {
            try {
                Path real = folder.toRealPath();
                for (Installed model : installed()) {
                    if (Files.isDirectory(model.folder()) && model.folder().toRealPath().equals(real)) {
                        return model;
                    }
                }
                return new Installed(real.getFileName().toString(), real, Location.LOCAL,
                        real.resolve(Manifest.FILE_NAME));
            } catch (IOException e) {
                throw GenAiException.io("looking up the model folder " + folder, e);
            }
        }
        throw new GenAiException("no installed model or folder called '" + ModelName.printable(nameOrFolder) + "'");
    }

    /** Fails with every refused file, unsafe link or escaping ONNX external-data reference in {@code folder}. */
    private static void requireSafe(Path folder) {
        List<String> problems = safetyProblems(folder, Manifest.listFiles(folder));
        if (!problems.isEmpty()) {
            throw new GenAiException("refusing " + folder + ": " + String.join("; ", problems));
        }
    }

    private static List<String> safetyProblems(Path folder, List<String> files) {
        List<String> problems = new ArrayList<>();
        Set<Path> externalData = new HashSet<>();
        for (String path : files) {
            if (path.toLowerCase(Locale.ROOT).endsWith(".onnx")) {
                Path onnx = folder.resolve(path);
                try {
                    for (String location : OnnxExternalData.requireInside(onnx, folder, true)) {
                        externalData.add(onnx.getParent().resolve(location).toAbsolutePath().normalize());
                    }
                } catch (GenAiException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        for (String path : files) {
            // Raw tensor bytes referenced by an ONNX file are data whatever their name (some exporters use .bin).
            boolean referenced = externalData.contains(folder.resolve(path).toAbsolutePath().normalize());
            String problem = referenced ? null : FileSafety.problem(path);
            if (problem != null) {
                problems.add(path + ": " + problem);
            }
        }
        return problems;
    }

    private static Path singleChild(Path staging) throws IOException {
        // Archives often wrap the model in one top-level folder; use it as the model folder.
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(staging)) {
            for (Path path : stream) {
                if (!path.getFileName().toString().startsWith(".")) {
                    children.add(path);
                }
            }
        }
        if (children.size() == 1 && Files.isDirectory(children.get(0), LinkOption.NOFOLLOW_LINKS)
                && !Files.exists(staging.resolve("model_index.json"))) {
            return children.get(0);
        }
        return staging;
    }

    private boolean catalogHasLocal(String name) {
        CatalogEntry entry = catalog.find(name);
        return entry != null && ModelSource.LOCAL.equals(entry.source().type());
    }

    private void registerLocal(String name, ModelLayout layout, Path folder) throws IOException {
        JsonObject root = readUserCatalog();
        JsonArray models = root.getAsJsonArray("models");
        removeNamed(models, name);
        JsonObject model = new JsonObject();
        model.addProperty("name", name);
        model.addProperty("task", layout.task().id());
        model.addProperty("format", layout.format());
        model.addProperty("description", "local folder added with `models add`");
        JsonObject source = new JsonObject();
        source.addProperty("type", ModelSource.LOCAL);
        source.addProperty("path", folder.toString());
        model.add("source", source);
        models.add(model);
        writeUserCatalog(root);
    }

    private void unregisterLocal(String name) throws IOException {
        JsonObject root = readUserCatalog();
        removeNamed(root.getAsJsonArray("models"), name);
        writeUserCatalog(root);
    }

    private static void removeNamed(JsonArray models, String name) {
        for (int i = models.size() - 1; i >= 0; i--) {
            JsonElement element = models.get(i);
            if (element.isJsonObject() && name.equals(Catalog.string(element.getAsJsonObject(), "name"))) {
                models.remove(i);
            }
        }
    }

    private JsonObject readUserCatalog() {
        Path file = directories.user().resolve(Catalog.FILE_NAME);
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                JsonElement element = JsonParser.parseReader(reader);
                if (element.isJsonObject() && element.getAsJsonObject().has("models")
                        && element.getAsJsonObject().get("models").isJsonArray()) {
                    return element.getAsJsonObject();
                }
            } catch (IOException e) {
                throw GenAiException.io("reading catalog " + file, e);
            }
            throw new GenAiException(file + " is not a model catalogue; fix or move it before adding models");
        }
        JsonObject root = new JsonObject();
        root.addProperty("format", Catalog.FORMAT);
        root.addProperty("version", 1);
        root.add("models", new JsonArray());
        return root;
    }

    private void writeUserCatalog(JsonObject root) throws IOException {
        Manifest.writeJson(root, directories.user().resolve(Catalog.FILE_NAME));
    }

    private static long sizeOfFolder(Path folder) {
        try {
            return sizeOf(folder);
        } catch (IOException e) {
            throw GenAiException.io("measuring " + folder, e);
        }
    }

    /** The total size of the regular files below {@code folder} (0 when absent). */
    static long sizeOf(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        long[] total = {0};
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile()) {
                    total[0] += attributes.size();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    /** Deletes a folder tree without following links (a link is removed, never what it points to). */
    static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(folder)) {
            Files.delete(folder);
            return;
        }
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
