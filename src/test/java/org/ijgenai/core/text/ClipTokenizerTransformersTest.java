package org.ijgenai.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ijgenai.core.io.NpyArray;
import org.ijgenai.core.io.NpzArchive;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Compares every case written by {@code tools/make_clip_tokenizer_refs.py}: transformers 4.57 (Python tokenizer,
 * no ftfy) against {@link TextCleanup#SLOW_WITHOUT_FTFY}, transformers 5.17 (tokenizers-backed) against
 * {@link TextCleanup#FAST}. Cases on the shared fixtures' tokenizers run only when the fixtures are present.
 */
class ClipTokenizerTransformersTest {

    @Test
    void slowCleanupMatchesTransformers4WithoutFtfy() throws Exception {
        int checked = compare("transformers4_refs.json", TextCleanup.SLOW_WITHOUT_FTFY);
        assertTrue(checked >= 78, "only " + checked + " cases checked");
    }

    @Test
    void fastCleanupMatchesTransformers5() throws Exception {
        int checked = compare("transformers5_refs.json", TextCleanup.FAST);
        assertTrue(checked >= 78, "only " + checked + " cases checked");
    }

    @Test
    void fullClipVocabularyMatchesTransformers4WithoutFtfy() throws Exception {
        assumeTrue(realTokenizers() != null, "set IJ_GENAI_REAL_CLIP_TOKENIZERS to a folder made by "
                + "tools/make_real_clip_tokenizer.py to compare the full 49,408-token vocabulary");
        assertEquals(118, compare("real_clip_transformers4_refs.json", TextCleanup.SLOW_WITHOUT_FTFY));
    }

    @Test
    void fullClipVocabularyMatchesTransformers5() throws Exception {
        assumeTrue(realTokenizers() != null, "set IJ_GENAI_REAL_CLIP_TOKENIZERS to a folder made by "
                + "tools/make_real_clip_tokenizer.py to compare the full 49,408-token vocabulary");
        assertEquals(118, compare("real_clip_transformers5_refs.json", TextCleanup.FAST));
    }

    @Test
    void sdCasesTokensMatchTransformers() throws Exception {
        Path cases = Fixtures.file("refs/sd_cases.json");
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(Fixtures.file("tiny-sd-onnx/tokenizer"));
        JsonArray all = JsonParser.parseString(Files.readString(cases, StandardCharsets.UTF_8)).getAsJsonArray();
        int checked = 0;
        for (JsonElement e : all) {
            JsonObject c = e.getAsJsonObject();
            if (!"tokens".equals(c.get("kind").getAsString())) {
                continue;
            }
            String text = c.get("text").getAsString();
            for (TextCleanup cleanup : TextCleanup.values()) {
                assertArrayEquals(ints(c.getAsJsonArray("ids")), tokenizer.withCleanup(cleanup).encode(text).ids(),
                        cleanup + ": " + text);
            }
            checked++;
        }
        assertTrue(checked > 0, "sd_cases.json holds no tokens cases");
    }

    @Test
    void tinyClipIdsMatchClipRefs() throws Exception {
        JsonObject cases = JsonParser.parseString(
                Files.readString(Fixtures.file("refs/clip_cases.json"), StandardCharsets.UTF_8)).getAsJsonObject();
        // the folder's tokenizer.json disagrees with its vocab.json/merges.txt; the BPE files are what count here
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(Fixtures.file("tiny-clip"));
        try (NpzArchive refs = NpzArchive.open(Fixtures.file("refs/clip_refs.npz"))) {
            NpyArray ids = refs.get("input_ids");
            JsonArray texts = cases.getAsJsonArray("texts");
            int length = (int) ids.shape()[1];
            long[] all = ids.longs();
            for (int t = 0; t < texts.size(); t++) {
                long[] expected = Arrays.copyOfRange(all, t * length, (t + 1) * length);
                assertArrayEquals(expected, tokenizer.encode(texts.get(t).getAsString()).idsAsLongs(),
                        texts.get(t).getAsString());
            }
        }
    }

    private int compare(String resource, TextCleanup cleanup) throws Exception {
        Map<String, ClipTokenizer> tokenizers = new HashMap<>();
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (JsonObject c : cases(resource)) {
            String key = c.get("tokenizer").getAsString();
            Path folder = folder(key);
            if (folder == null) {
                continue;
            }
            ClipTokenizer tokenizer = tokenizers.computeIfAbsent(key,
                    k -> ClipTokenizer.fromDirectory(folder, cleanup));
            String text = c.get("text").getAsString();
            String label = key + " " + quoted(text);
            List<String> expectedTokens = strings(c.getAsJsonArray("tokens"));
            List<String> actualTokens = tokenizer.tokenize(text);
            int[] expectedIds = ints(c.getAsJsonArray("ids"));
            TokenEncoding encoding = tokenizer.encode(text);
            if (!expectedTokens.equals(actualTokens)) {
                failures.add(label + ": tokens " + actualTokens + ", transformers " + expectedTokens);
            } else if (!Arrays.equals(expectedIds, encoding.ids())) {
                failures.add(label + ": ids " + Arrays.toString(encoding.ids()));
            }
            assertArrayEquals(ints(c.getAsJsonArray("attention_mask")), encoding.attentionMask(), label);
            int full = c.get("full_length").getAsInt();
            assertEquals(full, encoding.promptTokenCount(), label);
            assertEquals(full > tokenizer.maxLength(), encoding.truncated(), label);
            TokenEncoding unpadded = tokenizer.encodeUnpadded(text);
            assertArrayEquals(Arrays.copyOf(expectedIds, encoding.tokenCount()), unpadded.ids(), label);
            checked++;
        }
        assertTrue(failures.isEmpty(), failures.size() + " mismatches:\n" + String.join("\n", failures));
        return checked;
    }

    private static Path folder(String key) throws URISyntaxException {
        if (key.startsWith("real:")) {
            return realTokenizers().resolve(key.substring("real:".length()));
        }
        if (key.startsWith("fixtures:")) {
            Path dir = fixturesDir();
            if (dir == null) {
                return null;
            }
            Path folder = dir.resolve(key.substring("fixtures:".length()));
            return Files.isDirectory(folder) ? folder : null;
        }
        return Paths.get(ClipTokenizerTransformersTest.class.getResource(key).toURI());
    }

    /** The folder made by tools/make_real_clip_tokenizer.py, or null when not configured. */
    private static Path realTokenizers() {
        String configured = System.getenv("IJ_GENAI_REAL_CLIP_TOKENIZERS");
        return configured != null && Files.isDirectory(Paths.get(configured)) ? Paths.get(configured) : null;
    }

    /** The fixtures folder, or null when absent (these cases are then left out, the others still run). */
    private static Path fixturesDir() {
        String configured = System.getenv("IJ_GENAI_FIXTURES");
        Path dir = configured != null ? Paths.get(configured)
                : Paths.get("").toAbsolutePath().getParent().resolve("shared").resolve("fixtures");
        if (!Files.isDirectory(dir) && Fixtures.required()) {
            throw new AssertionError("shared fixtures not found at " + dir + "; -D" + Fixtures.REQUIRE_PROPERTY
                    + "=true requires every fixture");
        }
        return Files.isDirectory(dir) ? dir : null;
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp > 0x7e) {
                out.append(String.format("\\u{%x}", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('"').toString();
    }

    private static List<JsonObject> cases(String resource) throws IOException {
        try (InputStream in = ClipTokenizerTransformersTest.class.getResourceAsStream(resource)) {
            JsonObject doc = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
            List<JsonObject> out = new ArrayList<>();
            doc.getAsJsonArray("cases").forEach(e -> out.add(e.getAsJsonObject()));
            return out;
        }
    }

    private static List<String> strings(JsonArray array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static int[] ints(JsonArray array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsInt();
        }
        return out;
    }
}
