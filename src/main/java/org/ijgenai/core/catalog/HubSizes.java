package org.ijgenai.core.catalog;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.progress.CancellationToken;

/**
 * Download sizes of catalogue models that the catalogue does not record, as the hub announces them (one header
 * request per file, only when the user asks), remembered in the user's models folder so that later listings show
 * them without the network. A size belongs to a model's exact source (repository, revision and files): when the
 * catalogue entry changes, its remembered size no longer applies.
 */
public final class HubSizes {

    /** The file in the user's models folder that holds the sizes. */
    public static final String FILE_NAME = ".hub-sizes.json";

    private final Path file;
    private final Map<String, Long> sizes;

    private HubSizes(Path file, Map<String, Long> sizes) {
        this.file = file;
        this.sizes = sizes;
    }

    /** The sizes remembered in {@code userRoot}; none when the file is absent or unreadable (it is only a cache). */
    public static HubSizes load(Path userRoot) {
        Path file = userRoot.resolve(FILE_NAME);
        Map<String, Long> sizes = new LinkedHashMap<>();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                JsonElement root = JsonParser.parseReader(reader);
                if (root.isJsonObject()) {
                    for (Map.Entry<String, JsonElement> e : root.getAsJsonObject().entrySet()) {
                        if (e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isNumber()) {
                            sizes.put(e.getKey(), e.getValue().getAsLong());
                        }
                    }
                }
            } catch (IOException | JsonParseException e) {
                // A damaged cache only means the sizes are looked up again.
            }
        }
        return new HubSizes(file, sizes);
    }

    /** The remembered size of {@code entry}'s source, or null. */
    public Long get(CatalogEntry entry) {
        return sizes.get(key(entry));
    }

    /**
     * Asks the servers for the size of every file of {@code entry} and remembers the total.
     *
     * @return the total in bytes
     * @throws GenAiException when offline, when a server refuses, or when it does not announce a size
     */
    public long lookUp(CatalogEntry entry, DownloadSettings settings, CancellationToken cancel) {
        ModelSource source = entry.source();
        if (!source.isDownloadable()) {
            throw new GenAiException(entry.name() + " is not downloaded (" + source.describe() + "), so the hub"
                    + " knows no size for it");
        }
        FileDownloader downloader = new FileDownloader(settings);
        long total = 0;
        for (ModelFile f : source.files()) {
            cancel.throwIfCancelled();
            if (f.size() != null) {
                total += f.size();
                continue;
            }
            URI uri = ModelSource.URL.equals(source.type()) ? URI.create(f.url())
                    : settings.resolveUrl(source.repo(), source.revision(), f.path());
            long size;
            try {
                size = downloader.announcedSize(uri, f.path());
            } catch (IOException e) {
                throw GenAiException.io("looking up the size of " + entry.name() + "/" + f.path(), e);
            }
            if (size < 0) {
                throw new GenAiException("the server announced no size for " + entry.name() + "/" + f.path());
            }
            total += size;
        }
        sizes.put(key(entry), total);
        return total;
    }

    /** Writes the remembered sizes (atomically; the folder is created when needed). */
    public void save() {
        JsonObject root = new JsonObject();
        sizes.forEach(root::addProperty);
        try {
            Files.createDirectories(file.getParent());
            Manifest.writeJson(root, file);
        } catch (IOException e) {
            throw GenAiException.io("writing " + file, e);
        }
    }

    private static String key(CatalogEntry entry) {
        ModelSource source = entry.source();
        StringBuilder key = new StringBuilder(entry.name()).append('|').append(source.describe());
        for (ModelFile f : source.files()) {
            key.append('|').append(f.path());
        }
        return key.toString();
    }
}
