package org.ijgenai.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prompt Studio's token counter for a model given by name, as users type it, or by folder. */
class PromptTokenCounterTest {

    @TempDir
    Path userModels;

    @Test
    void countsWithTheBundledModelGivenByName() throws Exception {
        // shapes-sd's vocabulary holds each of these words whole, so the prompt is three tokens of 75.
        String vocab = Files.readString(Path.of("models/shapes-sd/tokenizer/vocab.json"));
        for (String word : new String[] {"a", "red", "circle"}) {
            assertTrue(vocab.contains("\"" + word + "</w>\""), word + " is one token of shapes-sd");
        }
        PromptTokenCounter counter = PromptTokenCounter.forModel("shapes-sd", userModels.toString());
        assertTrue(counter.counts());
        assertEquals("tokens: 3/75", counter.describe("a red circle"));
        assertEquals("tokens: 3/75 · weights: red ×1.30", counter.describe("a (red:1.3) circle"));
    }

    @Test
    void aFolderCountsTheSameAsTheName() {
        PromptTokenCounter byFolder = PromptTokenCounter.forModel(
                Path.of("models/shapes-sd").toAbsolutePath().toString(), userModels.toString());
        assertEquals(PromptTokenCounter.forModel(" shapes-sd ", userModels.toString()).describe("a blue star"),
                byFolder.describe("a blue star"));
    }

    @Test
    void sdxlCountsChunksWithBothTokenizers() {
        // a1111_sdxl_chunk_refs.json: this prompt is 85 tokens in two chunks for both of the fixture's tokenizers,
        // and "a red circle on a blue background" is 7 tokens.
        String longer = "red circle on blue background ".repeat(16) + ", star";
        String shorter = "a red circle on a blue background";
        PromptTokenCounter counter = PromptTokenCounter.forModel(Fixtures.file("tiny-sdxl-onnx").toString(),
                userModels.toString());
        assertTrue(counter.counts());
        assertTrue(counter.countsSecond());
        assertEquals("tokens: 85/150, 2 chunks", counter.describe(longer, Emphasis.ORIGINAL));
        assertEquals("tokens (tokenizer_2): 85/150, 2 chunks", counter.describeSecond("", longer, Emphasis.ORIGINAL));
        assertEquals("tokens (tokenizer_2): 7/75", counter.describeSecond(shorter, longer, Emphasis.ORIGINAL));
        assertEquals("tokens (tokenizer_2): 7/75 · weights: a red circle ×1.30, blue ×0.91",
                counter.describeSecond("(a red circle:1.3) on a [blue] background", shorter, Emphasis.ORIGINAL));
        PromptTokenCounter sd = PromptTokenCounter.forModel("shapes-sd", userModels.toString());
        assertFalse(sd.countsSecond());
        assertEquals("tokens: – (not an SDXL model: it has no tokenizer_2)",
                sd.describeSecond("x", "y", Emphasis.ORIGINAL));
    }

    @Test
    void anUnknownModelOrNoModelSaysSoInsteadOfCounting() {
        PromptTokenCounter unknown = PromptTokenCounter.forModel("shapes-sdd", userModels.toString());
        assertFalse(unknown.counts());
        assertEquals("tokens: – (no model shapes-sdd)", unknown.describe("a red circle"));
        assertEquals("tokens: – (name a model, e.g. shapes-sd, or choose its folder)",
                PromptTokenCounter.forModel("  ", userModels.toString()).describe("a red circle"));
        assertEquals("tokens: – (" + userModels + " has no tokenizer/vocab.json)",
                PromptTokenCounter.forModel(userModels.toString(), userModels.toString()).describe("x"));
    }
}
