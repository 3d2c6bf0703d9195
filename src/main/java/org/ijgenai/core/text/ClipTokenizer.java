package org.ijgenai.core.text;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.JsonProblems;

/**
 * The CLIP tokenizer of Stable Diffusion and CLIP models, equal to transformers' {@code CLIPTokenizer}: built
 * from a tokenizer folder's {@code vocab.json} and {@code merges.txt} (plus {@code tokenizer_config.json} and
 * {@code special_tokens_map.json} for the special tokens and {@code model_max_length}), it turns a prompt into
 * {@code <|startoftext|> … <|endoftext|>} ids, truncated and padded to the maximum length as diffusers asks
 * ({@code padding="max_length", truncation=True}).
 *
 * <p>Thread-safe once built.
 */
public final class ClipTokenizer {

    /** The length of CLIP's text positions, used when the configuration gives none. */
    public static final int DEFAULT_MAX_LENGTH = 77;
    /** transformers writes about 1e30 for "no limit"; anything this large means the configuration set none. */
    private static final long UNSET_MAX_LENGTH = 1_000_000;

    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    private final BytePairEncoder bpe;
    private final TextCleanup cleanup;
    /** Added (special) tokens, longest first, which are cut out of the text before any clean-up. */
    private final List<String> specialTokens;
    private final Map<String, Integer> specialIds;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final int unkId;
    private final int maxLength;

    private ClipTokenizer(Map<String, Integer> vocab, Map<String, Integer> ranks, Map<String, Integer> specialIds,
            String bos, String eos, String pad, String unk, int maxLength, TextCleanup cleanup) {
        this.vocab = vocab;
        this.bpe = new BytePairEncoder(ranks);
        this.cleanup = cleanup;
        this.specialIds = specialIds;
        List<String> specials = new ArrayList<>(specialIds.keySet());
        specials.sort(Comparator.comparingInt(String::length).reversed());
        this.specialTokens = List.copyOf(specials);
        this.bosId = specialIds.get(bos);
        this.eosId = specialIds.get(eos);
        this.padId = specialIds.get(pad);
        this.unkId = specialIds.get(unk);
        this.maxLength = maxLength;
        int maxId = 0;
        for (int id : vocab.values()) {
            maxId = Math.max(maxId, id);
        }
        for (int id : specialIds.values()) {
            maxId = Math.max(maxId, id);
        }
        idToToken = new String[maxId + 1];
        vocab.forEach((token, id) -> idToToken[id] = token);
        specialIds.forEach((token, id) -> idToToken[id] = token);
    }

    /** Loads a tokenizer folder with the clean-up of transformers' Python tokenizer without ftfy. */
    public static ClipTokenizer fromDirectory(Path directory) {
        return fromDirectory(directory, TextCleanup.SLOW_WITHOUT_FTFY);
    }

    /**
     * Loads a tokenizer folder: one holding {@code vocab.json} and {@code merges.txt}, or a model folder with
     * them in its {@code tokenizer/} subfolder (the diffusers layout).
     *
     * @throws GenAiException naming the folder and the missing or malformed file
     */
    public static ClipTokenizer fromDirectory(Path directory, TextCleanup cleanup) {
        Objects.requireNonNull(cleanup, "cleanup");
        if (!Files.isDirectory(directory)) {
            throw new GenAiException("tokenizer folder " + directory + " does not exist");
        }
        Path dir = directory;
        if (!Files.exists(dir.resolve("vocab.json")) && Files.exists(dir.resolve("tokenizer").resolve("vocab.json"))) {
            dir = dir.resolve("tokenizer");
        }
        List<String> missing = new ArrayList<>();
        for (String name : List.of("vocab.json", "merges.txt")) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new GenAiException("tokenizer folder " + dir + " lacks " + String.join(" and ", missing)
                    + " (a CLIP tokenizer needs vocab.json and merges.txt)");
        }
        Map<String, Integer> vocab = readVocab(dir.resolve("vocab.json"));
        Map<String, Integer> ranks = readMerges(dir.resolve("merges.txt"));
        JsonObject config = readOptionalJson(dir.resolve("tokenizer_config.json"));
        JsonObject specialMap = readOptionalJson(dir.resolve("special_tokens_map.json"));

        Map<String, Integer> specialIds = new LinkedHashMap<>();
        JsonElement added = config.get("added_tokens_decoder");
        if (added != null && added.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : added.getAsJsonObject().entrySet()) {
                String content = tokenContent(e.getValue());
                try {
                    specialIds.put(content, Integer.parseInt(e.getKey()));
                } catch (NumberFormatException ex) {
                    throw new GenAiException(dir.resolve("tokenizer_config.json") + ": added_tokens_decoder key '"
                            + e.getKey() + "' is not a token id", ex);
                }
            }
        }
        // special_tokens_map.json wins over tokenizer_config.json, as in transformers' from_pretrained
        String bos = specialToken("bos_token", "<|startoftext|>", config, specialMap);
        String eos = specialToken("eos_token", "<|endoftext|>", config, specialMap);
        String unk = specialToken("unk_token", "<|endoftext|>", config, specialMap);
        String pad = specialToken("pad_token", "<|endoftext|>", config, specialMap);
        List<String> named = new ArrayList<>(List.of(bos, eos, unk, pad));
        for (JsonObject source : List.of(config, specialMap)) {
            JsonElement extra = source.get("additional_special_tokens");
            if (extra != null && extra.isJsonArray()) {
                extra.getAsJsonArray().forEach(t -> named.add(tokenContent(t)));
            }
        }
        for (String token : named) {
            if (!specialIds.containsKey(token)) {
                Integer id = vocab.get(token);
                if (id == null) {
                    throw new GenAiException(dir.resolve("vocab.json") + " has no entry for the special token '"
                            + token + "' named in the tokenizer configuration");
                }
                specialIds.put(token, id);
            }
        }
        int maxLength = maxLength(config, dir.resolve("tokenizer_config.json"));
        return new ClipTokenizer(vocab, ranks, specialIds, bos, eos, pad, unk, maxLength, cleanup);
    }

    /** The length every padded encoding has ({@code model_max_length}, 77 for CLIP). */
    public int maxLength() {
        return maxLength;
    }

    /** The id of {@code <|startoftext|>} (or the configured bos token). */
    public int bosId() {
        return bosId;
    }

    /** The id of {@code <|endoftext|>} (or the configured eos token). */
    public int eosId() {
        return eosId;
    }

    /** The id used for padding: {@code <|endoftext|>} for SD 1.x, {@code !} (0) for SD 2.x. */
    public int padId() {
        return padId;
    }

    /** The clean-up this tokenizer applies. */
    public TextCleanup cleanup() {
        return cleanup;
    }

    /** The same vocabulary and merges with another clean-up. */
    public ClipTokenizer withCleanup(TextCleanup other) {
        if (other == cleanup) {
            return this;
        }
        return new ClipTokenizer(vocab, bpe, specialIds, specialTokens, bosId, eosId, padId, unkId, maxLength,
                idToToken, other);
    }

    private ClipTokenizer(Map<String, Integer> vocab, BytePairEncoder bpe, Map<String, Integer> specialIds,
            List<String> specialTokens, int bosId, int eosId, int padId, int unkId, int maxLength,
            String[] idToToken, TextCleanup cleanup) {
        this.vocab = vocab;
        this.bpe = bpe;
        this.specialIds = specialIds;
        this.specialTokens = specialTokens;
        this.bosId = bosId;
        this.eosId = eosId;
        this.padId = padId;
        this.unkId = unkId;
        this.maxLength = maxLength;
        this.idToToken = idToToken;
        this.cleanup = cleanup;
    }

    /**
     * The prompt's tokens as strings (BPE symbols with {@code </w>} ending each word, or added tokens), without
     * bos and eos and without truncation.
     */
    public List<String> tokenize(String text) {
        Objects.requireNonNull(text, "text");
        List<String> tokens = new ArrayList<>();
        int chunkStart = 0;
        int i = 0;
        while (i < text.length()) {
            String special = specialAt(text, i);
            if (special == null) {
                i++;
                continue;
            }
            tokenizeChunk(text.substring(chunkStart, i), tokens);
            tokens.add(special);
            i += special.length();
            chunkStart = i;
        }
        tokenizeChunk(text.substring(chunkStart), tokens);
        return tokens;
    }

    private String specialAt(String text, int index) {
        for (String token : specialTokens) {
            if (text.startsWith(token, index)) {
                return token;
            }
        }
        return null;
    }

    private void tokenizeChunk(String chunk, List<String> tokens) {
        if (chunk.isEmpty()) {
            return;
        }
        for (String word : cleanup.words(chunk)) {
            if (cleanup == TextCleanup.SLOW_WITHOUT_FTFY
                    && (word.equals("<|startoftext|>") || word.equals("<|endoftext|>"))) {
                // the Python tokenizer's BPE cache returns these two whole, without </w>
                tokens.add(word);
            } else {
                tokens.addAll(bpe.encode(word));
            }
        }
    }

    /** The ids of the prompt's tokens, without bos and eos and without truncation; unknown symbols map to unk. */
    public int[] textIds(String text) {
        List<String> tokens = tokenize(text);
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = idOf(tokens.get(i));
        }
        return ids;
    }

    /** The id of a vocabulary entry or added token (such as {@code ",</w>"}), if the tokenizer has it. */
    public OptionalInt vocabularyId(String token) {
        Integer id = specialIds.get(token);
        if (id == null) {
            id = vocab.get(token);
        }
        return id != null ? OptionalInt.of(id) : OptionalInt.empty();
    }

    private int idOf(String token) {
        Integer id = specialIds.get(token);
        if (id == null) {
            id = vocab.get(token);
        }
        return id != null ? id : unkId;
    }

    /**
     * Encodes a prompt as diffusers does: bos, the prompt's ids cut to {@code maxLength − 2}, eos, then the pad
     * id up to {@link #maxLength()}.
     */
    public TokenEncoding encode(String text) {
        return encode(text, true);
    }

    /** Like {@link #encode}, truncated the same way but not padded: the ids end with eos. */
    public TokenEncoding encodeUnpadded(String text) {
        return encode(text, false);
    }

    private TokenEncoding encode(String text, boolean pad) {
        int[] body = textIds(text);
        int kept = Math.min(body.length, maxLength - 2);
        int used = kept + 2;
        int[] ids = new int[pad ? maxLength : used];
        int[] mask = new int[ids.length];
        ids[0] = bosId;
        System.arraycopy(body, 0, ids, 1, kept);
        ids[kept + 1] = eosId;
        Arrays.fill(ids, used, ids.length, padId);
        Arrays.fill(mask, 0, used, 1);
        return new TokenEncoding(ids, mask, used, body.length + 2);
    }

    /**
     * The part of a prompt that does not fit, decoded back to text (empty when nothing is cut), for telling the
     * user what was dropped, as diffusers logs it.
     */
    public String truncatedText(String text) {
        int[] body = textIds(text);
        if (body.length <= maxLength - 2) {
            return "";
        }
        return decode(Arrays.copyOfRange(body, maxLength - 2, body.length), true);
    }

    /**
     * Turns ids back into text: bytes decoded as UTF-8 (malformed sequences replaced), each {@code </w>} read as a
     * space, the result trimmed.
     *
     * @param skipSpecialTokens whether to leave out bos, eos, pad and the other added tokens
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            String token = id >= 0 && id < idToToken.length ? idToToken[id] : null;
            if (token == null) {
                throw new IllegalArgumentException("token id " + id + " is not in the vocabulary");
            }
            if (skipSpecialTokens && specialIds.containsKey(token)) {
                continue;
            }
            BytePairEncoder.byteDecode(token, bytes);
        }
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8)
                .replace(BytePairEncoder.END_OF_WORD, " ").strip();
    }

    private static Map<String, Integer> readVocab(Path file) {
        JsonObject json = readJson(file);
        Map<String, Integer> vocab = new HashMap<>(json.size() * 2);
        for (Map.Entry<String, JsonElement> e : json.entrySet()) {
            JsonElement v = e.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                throw new GenAiException(file + ": the entry for '" + e.getKey() + "' is not a token id");
            }
            int id = v.getAsInt();
            if (id < 0) {
                throw new GenAiException(file + ": the entry for '" + e.getKey() + "' has negative id " + id);
            }
            vocab.put(e.getKey(), id);
        }
        if (vocab.isEmpty()) {
            throw new GenAiException(file + " holds no tokens");
        }
        return vocab;
    }

    /**
     * Merge ranks in file order. As in transformers, the file is trimmed and its {@code #version} header skipped;
     * each line holds two symbols separated by white space; a pair listed twice keeps its later rank.
     */
    private static Map<String, Integer> readMerges(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new GenAiException(file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new GenAiException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String[] lines = text.strip().split("\n", -1);
        Map<String, Integer> ranks = new HashMap<>(lines.length * 2);
        int first = lines.length > 0 && lines[0].startsWith("#version") ? 1 : 0;
        for (int i = first; i < lines.length; i++) {
            String[] parts = lines[i].strip().split("\\s+");
            if (parts.length == 2) {
                ranks.put(parts[0] + ' ' + parts[1], i - first);
            }
        }
        return ranks;
    }

    private static JsonObject readOptionalJson(Path file) {
        return Files.exists(file) ? readJson(file) : new JsonObject();
    }

    private static JsonObject readJson(Path file) {
        try {
            JsonElement json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!json.isJsonObject()) {
                throw new GenAiException(file + " does not hold a JSON object");
            }
            return json.getAsJsonObject();
        } catch (MalformedInputException e) {
            throw new GenAiException(file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new GenAiException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new GenAiException(file + " is not valid JSON: " + JsonProblems.describe(e), e);
        }
    }

    private static String specialToken(String key, String fallback, JsonObject config, JsonObject specialMap) {
        JsonElement value = specialMap.has(key) ? specialMap.get(key) : config.get(key);
        if (value == null || value.isJsonNull()) {
            return fallback;
        }
        return tokenContent(value);
    }

    /** A token given either as a string or as an AddedToken object with a "content" field. */
    private static String tokenContent(JsonElement value) {
        if (value.isJsonPrimitive()) {
            return value.getAsString();
        }
        if (value.isJsonObject() && value.getAsJsonObject().has("content")) {
            return value.getAsJsonObject().get("content").getAsString();
        }
        throw new GenAiException("a special token must be a string or an object with \"content\", was " + value);
    }

    private static int maxLength(JsonObject config, Path file) {
        JsonElement value = config.get("model_max_length");
        if (value == null || value.isJsonNull()) {
            return DEFAULT_MAX_LENGTH;
        }
        double length;
        try {
            length = value.getAsDouble();
        } catch (RuntimeException e) {
            throw new GenAiException(file + ": model_max_length must be a number, was " + value, e);
        }
        if (length >= UNSET_MAX_LENGTH) {
            return DEFAULT_MAX_LENGTH;
        }
        if (length < 2 || length != Math.rint(length)) {
            throw new GenAiException(file + ": model_max_length must be a whole number ≥ 2, was " + value);
        }
        return (int) length;
    }
}
