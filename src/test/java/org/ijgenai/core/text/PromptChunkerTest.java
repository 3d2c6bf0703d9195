package org.ijgenai.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.ijgenai.core.GenAiException;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * PromptChunker against A1111's {@code tokenize_line} as transcribed in {@code tools/prompt/a1111_prompt_reference.py}:
 * the same chunks, ids, weights and token count on long prompts, commas near chunk ends and BREAK, over the
 * committed test tokenizers, the bundled shapes-sd tokenizer and the fixtures' tokenizer.
 */
class PromptChunkerTest {

    @Test
    void chunksMatchA1111OnTheCommittedAndBundledTokenizers() throws Exception {
        JsonObject chunks = PromptParserTest.refs().getAsJsonObject("chunks");
        Map<String, Path> folders = Map.of(
                "tiny-clip-tokenizer", resource("tiny-clip-tokenizer"),
                "tiny-clip-tokenizer-sd2", resource("tiny-clip-tokenizer-sd2"),
                "shapes-sd", Paths.get("models/shapes-sd/tokenizer"));
        for (Map.Entry<String, Path> e : folders.entrySet()) {
            assertTrue(Files.isDirectory(e.getValue()), e.getValue().toString());
            check(e.getKey(), e.getValue(), chunks.getAsJsonArray(e.getKey()));
        }
    }

    @Test
    void chunksMatchA1111OnTheFixtureTokenizer() throws Exception {
        Path folder = Fixtures.file("tiny-sd-onnx/tokenizer");
        check("fixtures", folder, PromptParserTest.refs().getAsJsonObject("chunks")
                .getAsJsonArray("fixtures:tiny-sd-onnx"));
    }

    @Test
    void aShortPlainPromptIsTodaysPaddedEncoding() {
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(Paths.get("models/shapes-sd/tokenizer"));
        String prompt = "a red circle on a blue background";
        ChunkedPrompt chunked = new PromptChunker(tokenizer).chunk(prompt, Emphasis.ORIGINAL);
        assertEquals(1, chunked.chunks().size());
        assertArrayEquals(tokenizer.encode(prompt).ids(), chunked.chunks().get(0).ids());
        assertTrue(!chunked.weighted());
        assertEquals("7/75", chunked.counter());
    }

    @Test
    void noneTakesBracketsAsText() {
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(Paths.get("models/shapes-sd/tokenizer"));
        ChunkedPrompt chunked = new PromptChunker(tokenizer).chunk("(red:1.5) BREAK circle", Emphasis.NONE);
        assertEquals(1, chunked.chunks().size());
        assertTrue(!chunked.weighted());
        assertEquals(List.of(new WeightedText("(red:1.5) BREAK circle", 1.0)), chunked.runs());
    }

    @Test
    void hugePromptsAreRefusedWithTheLimit() {
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(Paths.get("models/shapes-sd/tokenizer"));
        String prompt = "red circle ".repeat(5000);
        GenAiException ex = assertThrows(GenAiException.class,
                () -> new PromptChunker(tokenizer).chunk(prompt, Emphasis.ORIGINAL));
        assertTrue(ex.getMessage().startsWith("the prompt is too long: it needs more than 32 chunks of 75 tokens "
                + "(the limit is 2400 tokens"), ex.getMessage());
    }

    private static void check(String name, Path folder, JsonArray cases) {
        PromptChunker chunker = new PromptChunker(ClipTokenizer.fromDirectory(folder));
        assertTrue(cases.size() >= 20, name);
        for (JsonElement ce : cases) {
            JsonObject c = ce.getAsJsonObject();
            String prompt = c.get("prompt").getAsString();
            ChunkedPrompt actual = chunker.chunk(prompt, Emphasis.ORIGINAL);
            String where = name + ": " + prompt;
            assertEquals(c.get("token_count").getAsInt(), actual.tokenCount(), where);
            JsonArray expected = c.getAsJsonArray("chunks");
            assertEquals(expected.size(), actual.chunks().size(), where);
            for (int k = 0; k < expected.size(); k++) {
                JsonObject chunk = expected.get(k).getAsJsonObject();
                JsonArray ids = chunk.getAsJsonArray("ids");
                JsonArray weights = chunk.getAsJsonArray("weights");
                int[] expectedIds = new int[ids.size()];
                double[] expectedWeights = new double[weights.size()];
                for (int i = 0; i < expectedIds.length; i++) {
                    expectedIds[i] = ids.get(i).getAsInt();
                    expectedWeights[i] = weights.get(i).getAsDouble();
                }
                assertArrayEquals(expectedIds, actual.chunks().get(k).ids(), where + " chunk " + k);
                assertArrayEquals(expectedWeights, actual.chunks().get(k).weights(), 0, where + " chunk " + k);
            }
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Paths.get(PromptChunkerTest.class.getResource(name).toURI());
    }
}
