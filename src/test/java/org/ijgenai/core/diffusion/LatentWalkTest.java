package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.ijgenai.core.GenAiException;
import org.junit.jupiter.api.Test;

/**
 * {@link LatentWalk}'s plan without a model: the prompts of the dialog's one-line field split at top-level
 * {@code |} only, and the frames, positions and labels of prompt walks, seed walks and both in step.
 */
class LatentWalkTest {

    private static final GenerationRequest BASE = new GenerationRequest(List.of("a red circle"), null, 5, 3, 7.5,
            "ddim", 64, 64, 1, 0.75);

    @Test
    void promptsSplitAtTopLevelBarsOnlyKeepingA1111AlternationAndEscapes() {
        assertEquals(List.of("a red circle"), LatentWalk.splitPrompts("a red circle"));
        assertEquals(List.of("a red circle", "a yellow star"),
                LatentWalk.splitPrompts(" a red circle | a yellow star"));
        assertEquals(List.of("a [cat|dog] on a mat", "(a bird|a plane:1.2)", "sky"),
                LatentWalk.splitPrompts("a [cat|dog] on a mat|(a bird|a plane:1.2)|sky"));
        assertEquals(List.of("a \\| b", "c"), LatentWalk.splitPrompts("a \\| b|c"));
        assertEquals(List.of("a", "", "c"), LatentWalk.splitPrompts("a||c"));
        // An unbalanced ']' does not swallow the separators after it.
        assertEquals(List.of("a]", "b"), LatentWalk.splitPrompts("a]|b"));
    }

    @Test
    void aPromptWalkOnOneSeedHasItsPositionsAndLabels() {
        List<LatentWalk.Frame> frames = new LatentWalk().setRequest(BASE).optPrompts(List.of("red", "blue", "green"))
                .optFramesPerSegment(2).frames();
        assertEquals(5, frames.size());
        assertEquals(List.of("prompt 1", "prompt 1→2 t=0.500", "prompt 2", "prompt 2→3 t=0.500", "prompt 3"),
                frames.stream().map(LatentWalk.Frame::label).toList());
        LatentWalk.Frame middle = frames.get(3);
        assertEquals(new PromptBlend("blue", "green", 0.5), middle.prompt());
        assertEquals(0.0, middle.seed().position());
        assertEquals(5, middle.request(BASE).seed());
        assertEquals(List.of("blue"), middle.request(BASE).prompts());
    }

    @Test
    void seedsAndPromptsMoveInStepAndMismatchedCountsAreRefused() {
        List<LatentWalk.Frame> frames = new LatentWalk().setRequest(BASE).optSeeds(List.of(1L, 2L))
                .optPrompts(List.of("red", "blue")).optFramesPerSegment(4).frames();
        assertEquals("seed 1→2 · prompt 1→2 t=0.250", frames.get(1).label());
        assertEquals(new SeedWalk(1, 2, 0.25), frames.get(1).seed());
        assertEquals("seed 2 · prompt 2", frames.get(4).label());
        GenAiException counts = assertThrows(GenAiException.class, () -> new LatentWalk().setRequest(BASE)
                .optSeeds(List.of(1L, 2L)).optPrompts(List.of("a", "b", "c")).frames());
        assertTrue(counts.getMessage().contains("got 2 seeds and 3 prompts"), counts.getMessage());
        GenAiException empty = assertThrows(GenAiException.class, () -> new LatentWalk().setRequest(BASE)
                .optPrompts(LatentWalk.splitPrompts("a||c")).frames());
        assertTrue(empty.getMessage().contains("a walk prompt is empty"), empty.getMessage());
        GenAiException still = assertThrows(GenAiException.class, () -> new LatentWalk().setRequest(BASE)
                .optSeeds(List.of(3L)).frames());
        assertTrue(still.getMessage().contains("two or more seeds or two or more prompts"), still.getMessage());
    }
}
