package org.ijgenai.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

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
