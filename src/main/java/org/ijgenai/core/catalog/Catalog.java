package org.ijgenai.core.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.JsonProblems;

/**
 * The known models, merged from the catalogue inside the jar, an optional {@code catalog.json} in the bundled models
 * folder and the user's {@code catalog.json}; a later file's entry replaces an earlier one of the same name. The
 * format is documented in docs/models.md.
 */
public final class Catalog {

    /** The value of the "format" field that marks a catalogue file. */
    public static final String FORMAT = "ij-genai-model-catalog";
    /** The class-path resource of the built-in catalogue. */
    public static final String BUILT_IN = "/org/ijgenai/core/catalog/catalog.json";
    /** The file name of a catalogue in a models folder. */
    public static final String FILE_NAME = "catalog.json";

    private final Map<String, CatalogEntry> entries;
    private final List<String> problems;

    private Catalog(Map<String, CatalogEntry> entries, List<String> problems) {
        this.entries = entries;
        this.problems = List.copyOf(problems);
    }

    /** A catalogue of the given entries, later names replacing earlier ones. */
    public static Catalog of(List<CatalogEntry> list) {
        Map<String, CatalogEntry> map = new LinkedHashMap<>();
        for (CatalogEntry entry : list) {
            map.put(entry.name(), entry);
        }
        return new Catalog(map, List.of());
    }

    /**
     * The built-in catalogue merged with the catalogue files of {@code directories} that exist. A bad entry in one
     * of those files is left out and described in {@link #problems()}, so that one mistake in a user's file does not
     * hide every other model; a file that is not a catalogue at all is left out the same way.
     */
    public static Catalog load(ModelDirectories directories) {
        List<CatalogEntry> all = new ArrayList<>(builtIn());
        List<String> problems = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        if (directories.bundled() != null) {
            files.add(directories.bundled().resolve(FILE_NAME));
        }
        files.add(directories.user().resolve(FILE_NAME));
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                all.addAll(parse(reader, file.toString(), problems));
            } catch (IOException e) {
                problems.add(GenAiException.io("reading catalog " + file, e).getMessage() + "; the file is ignored");
            } catch (GenAiException e) {
                problems.add(e.getMessage() + "; the file is ignored");
            }
        }
        Map<String, CatalogEntry> map = new LinkedHashMap<>();
        for (CatalogEntry entry : all) {
            map.put(entry.name(), entry);
        }
        return new Catalog(map, problems);
    }

    /** What was wrong with the catalogue files, one line per skipped entry or file (empty when all was well). */
    public List<String> problems() {
        return problems;
    }

    /** The entries of the catalogue inside the jar. */
    public static List<CatalogEntry> builtIn() {
        try (InputStream in = Catalog.class.getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new GenAiException("the built-in model catalogue " + BUILT_IN + " is missing from the jar");
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), "built-in catalogue");
        } catch (IOException e) {
            throw GenAiException.io("reading the built-in catalogue " + BUILT_IN, e);
        }
    }

    /** The entries of one catalogue file. */
    public static List<CatalogEntry> read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.toString());
        } catch (IOException e) {
            throw GenAiException.io("reading catalog " + file, e);
        }
    }

    /** Parses a catalogue document; errors name {@code origin} and the entry. */
    public static List<CatalogEntry> parse(Reader reader, String origin) {
        return parse(reader, origin, null);
    }

    /**
     * Parses a catalogue document; with {@code skipped} non-null a bad entry is described there and left out
     * instead of failing the whole document.
     */
    static List<CatalogEntry> parse(Reader reader, String origin, List<String> skipped) {
        JsonObject root;
        try {
            JsonElement element = JsonParser.parseReader(reader);
            if (!element.isJsonObject()) {
                throw new GenAiException(origin + ": a model catalogue must be a JSON object");
            }
            root = element.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new GenAiException(origin + ": not valid JSON (" + JsonProblems.describe(e) + ")", e);
        }
        if (!FORMAT.equals(string(root, "format"))) {
            throw new GenAiException(origin + ": \"format\" must be \"" + FORMAT + "\"");
        }
        JsonArray models = root.has("models") && root.get("models").isJsonArray() ? root.getAsJsonArray("models")
                : new JsonArray();
        List<CatalogEntry> entries = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            String where = origin + ", model #" + (i + 1);
            try {
                if (!models.get(i).isJsonObject()) {
                    throw new GenAiException("must be a JSON object");
                }
                JsonObject model = models.get(i).getAsJsonObject();
                String name = string(model, "name");
                where = origin + ", model '" + ModelName.printable(name) + "'";
                entries.add(entry(model, origin));
            } catch (GenAiException | IllegalStateException | UnsupportedOperationException e) {
                if (skipped == null) {
                    throw new GenAiException(where + ": " + e.getMessage(), e);
                }
                skipped.add(where + ": " + e.getMessage() + "; this entry is skipped");
            }
        }
        return entries;
    }

    private static CatalogEntry entry(JsonObject model, String origin) {
        String name = ModelName.require(string(model, "name"));
        String taskId = string(model, "task");
        ModelTask task = ModelTask.fromId(taskId);
        if (taskId != null && task == null) {
            throw new GenAiException("unknown task '" + ModelName.printable(taskId)
                    + "' (expected text-to-image, clip, segmentation, style or other)");
        }
        if (!model.has("source") || !model.get("source").isJsonObject()) {
            throw new GenAiException("needs a \"source\" object");
        }
        JsonObject source = model.getAsJsonObject("source");
        List<ModelFile> files = new ArrayList<>();
        if (source.has("files") && source.get("files").isJsonArray()) {
            for (JsonElement file : source.getAsJsonArray("files")) {
                if (file.isJsonPrimitive()) {
                    files.add(new ModelFile(file.getAsString(), null, null, null));
                } else {
                    JsonObject f = file.getAsJsonObject();
                    files.add(new ModelFile(string(f, "path"), number(f, "size"), string(f, "sha256"),
                            string(f, "url")));
                }
            }
        }
        for (ModelFile file : files) {
            FileSafety.require(file.path());
        }
        ModelSource modelSource = new ModelSource(string(source, "type"), string(source, "repo"),
                string(source, "revision"), files, string(source, "package"), string(source, "setup"),
                string(source, "path"));
        Licence licence = Licence.UNKNOWN;
        if (model.has("licence") && model.get("licence").isJsonObject()) {
            JsonObject l = model.getAsJsonObject("licence");
            licence = new Licence(string(l, "name"), string(l, "url"));
        }
        JsonObject descriptor = model.has("descriptor") && model.get("descriptor").isJsonObject()
                ? model.getAsJsonObject("descriptor") : null;
        return new CatalogEntry(name, task, string(model, "format"), string(model, "description"), modelSource,
                number(model, "totalSize"), licence, descriptor, string(model, "notes"), origin);
    }

    static String string(JsonObject object, String key) {
        JsonElement value = object.get(key);
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (!value.isJsonPrimitive()) {
            throw new GenAiException("\"" + key + "\" must be a string");
        }
        String text = value.getAsString();
        return text.isEmpty() ? null : text;
    }

    static Long number(JsonObject object, String key) {
        JsonElement value = object.get(key);
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw new GenAiException("\"" + key + "\" must be a number or null");
        }
        return value.getAsLong();
    }

    /** Every entry, in catalogue order. */
    public List<CatalogEntry> entries() {
        return Collections.unmodifiableList(new ArrayList<>(entries.values()));
    }

    /** The entry called {@code name}, or null. */
    public CatalogEntry find(String name) {
        return entries.get(name);
    }
}
