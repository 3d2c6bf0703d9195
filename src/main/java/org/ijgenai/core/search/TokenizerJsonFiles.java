package org.ijgenai.core.search;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.Offline;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Gives the project's CLIP tokenizer its {@code vocab.json} and {@code merges.txt} when a model ships only a
 * Hugging Face {@code tokenizer.json}: the BPE vocabulary and merges are copied out of it, once, into a cache
 * folder keyed by the file's hash. No tokenisation happens here.
 */
final class TokenizerJsonFiles {

    private TokenizerJsonFiles() {}

    /** The folder to load the tokenizer from: {@code dir} itself when it has vocab.json and merges.txt. */
    static Path tokenizerFolder(Path dir) {
        if (Files.isRegularFile(dir.resolve("vocab.json")) && Files.isRegularFile(dir.resolve("merges.txt"))) {
            return dir;
        }
        Path json = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(json)) {
            throw new GenAiException("CLIP model folder " + dir + " has no tokenizer: expected vocab.json and"
                    + " merges.txt, or tokenizer.json");
        }
        try {
            byte[] bytes = Files.readAllBytes(json);
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
            Path out = Offline.cacheDir().resolve("clip-tokenizers").resolve(hash);
            if (Files.isRegularFile(out.resolve("merges.txt"))) {
                return out;
            }
            extract(JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject(), dir, out,
                    json);
            return out;
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new GenAiException("Cannot read the tokenizer " + json + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static void extract(JsonObject root, Path modelDir, Path out, Path source) throws IOException {
        JsonObject model = root.getAsJsonObject("model");
        if (model == null || !"BPE".equals(model.get("type").getAsString())) {
            throw new GenAiException(source + " does not hold a BPE tokenizer, so it is not a CLIP tokenizer");
        }
        JsonObject vocab = model.getAsJsonObject("vocab");
        JsonArray added = root.getAsJsonArray("added_tokens");
        if (added != null) {
            for (JsonElement e : added) {
                JsonObject token = e.getAsJsonObject();
                if (!vocab.has(token.get("content").getAsString())) {
                    vocab.add(token.get("content").getAsString(), token.get("id"));
                }
            }
        }
        Path tmp = Files.createTempDirectory(Files.createDirectories(out.getParent()), "extract");
        try (Writer w = Files.newBufferedWriter(tmp.resolve("vocab.json"), StandardCharsets.UTF_8)) {
            new Gson().toJson(vocab, w);
        }
        StringBuilder merges = new StringBuilder("#version: 0.2\n");
        for (JsonElement m : model.getAsJsonArray("merges")) {
            // Older tokenizers write "a b", newer ones ["a", "b"].
            if (m.isJsonArray()) {
                merges.append(m.getAsJsonArray().get(0).getAsString()).append(' ')
                        .append(m.getAsJsonArray().get(1).getAsString());
            } else {
                merges.append(m.getAsString());
            }
            merges.append('\n');
        }
        Files.writeString(tmp.resolve("merges.txt"), merges, StandardCharsets.UTF_8);
        for (String name : List.of("tokenizer_config.json", "special_tokens_map.json")) {
            if (Files.isRegularFile(modelDir.resolve(name))) {
                Files.copy(modelDir.resolve(name), tmp.resolve(name));
            }
        }
        try {
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Another process extracted the same file first; its copy is identical.
            if (!Files.isRegularFile(out.resolve("merges.txt"))) {
                throw e;
            }
        }
    }
}
