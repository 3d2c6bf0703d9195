package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.text.Emphasis;
import org.junit.jupiter.api.Test;

/**
 * {@link StoredParameters}: a request's own description (as Info lines or PNG chunks) reads back into the same
 * request; A1111 infotexts give their fields and name the ignored ones; records that cannot be replayed say why.
 */
class StoredParametersTest {

    private static final ModelFolder SHAPES = ModelFolder.open(Path.of("models/shapes-sd"));

    @Test
    void aDescribedRequestReadsBackFromItsInfoAsTheSameRequest() {
        GenerationRequest request = new GenerationRequest(List.of("(a red circle:1.3) on [blue]"), "blurry", 7, 6,
                6.5, "dpmpp_2m", 64, 64, 1, 0.75, Emphasis.NO_NORM);
        StringBuilder info = new StringBuilder("Stable Diffusion (ij-genai)\n");
        Map<String, String> described = new LinkedHashMap<>(request.describe(false));
        described.put("model", "shapes-sd");
        described.forEach((k, v) -> info.append(k).append(": ").append(v).append('\n'));
        StoredParameters.Read read = StoredParameters.fromInfo(info.toString());
        assertEquals(described, read.values());
        assertEquals(request, StoredParameters.request(read.values(), SHAPES));
        assertNull(StoredParameters.notReproducible(read.values()));
        assertEquals("shapes-sd", StoredParameters.model(read.values()));
    }

    @Test
    void aPromptWithALineBreakSurvivesTheInfo() {
        StoredParameters.Read read = StoredParameters.fromInfo("Stable Diffusion (ij-genai)\nprompt: a red circle\n"
                + "on two lines\nnegative: \nseed: 3\n");
        assertEquals("a red circle\non two lines", read.values().get("prompt"));
        assertEquals(List.of("a red circle\non two lines"), StoredParameters.prompts(read.values()));
        assertNull(StoredParameters.negative(read.values()));
    }

    @Test
    void missingStepsAndGuidanceComeFromTheModelAndABatchKeepsItsPrompts() {
        Map<String, String> values = Map.of("prompt", "a | b", "prompt1", "a", "prompt2", "b", "seed", "5");
        GenerationRequest r = StoredParameters.request(values, SHAPES);
        assertEquals(List.of("a", "b"), r.prompts());
        assertEquals(SHAPES.defaultSteps(), r.steps());
        assertEquals(SHAPES.defaultGuidance(), r.guidance());
        assertEquals(Emphasis.ORIGINAL, r.emphasis());
    }

    @Test
    void anA1111ChunkIsReadWithoutItsModelAndNamesWhatIsIgnored() {
        StoredParameters.Read read = StoredParameters.fromPngText(Map.of("parameters",
                "a cat\nNegative prompt: dog\nSteps: 5, Sampler: Euler a, CFG scale: 7, Seed: 99, Size: 64x64,"
                        + " Model: sd15, Clip skip: 2, Version: v1.10.1"));
        assertEquals(List.of("Clip skip", "Version"), read.ignored());
        assertEquals("euler_a", read.values().get("scheduler"));
        assertTrue(!read.values().containsKey("model"));
        GenerationRequest r = StoredParameters.request(read.values(), SHAPES);
        assertEquals(new GenerationRequest(List.of("a cat"), "dog", 99, 5, 7, "euler_a", 64, 64, 1, 0.75), r);
        Map<String, String> ours = Map.of("seed", "1", "prompt", "x", "parameters", "ignored");
        assertEquals(ours, StoredParameters.fromPngText(ours).values());
    }

    @Test
    void recordsThatNeedMoreThanTheirParametersSayWhy() {
        assertTrue(StoredParameters.notReproducible(Map.of("prompt", "x", "seed", "1", "init", "cat.png"))
                .contains("Image to Image from cat.png"));
        assertTrue(StoredParameters.notReproducible(Map.of("prompt", "x", "seed", "1", "inpaint", "latent mask",
                "init", "cat.png")).contains("Generative Fill"));
        assertTrue(StoredParameters.notReproducible(Map.of("prompt", "x", "grid_x", "seed=1,2"))
                .contains("grid"));
        assertTrue(StoredParameters.notReproducible(Map.of("prompt", "x")).contains("no seed"));
        assertTrue(StoredParameters.notReproducible(Map.of("seed", "1")).contains("no prompt"));
        GenAiException bad = assertThrows(GenAiException.class, () -> StoredParameters.request(Map.of("prompt",
                "x", "seed", "1", "steps", "many"), SHAPES));
        assertEquals("the stored parameter steps is 'many', not a number", bad.getMessage());
        assertThrows(GenAiException.class, () -> StoredParameters.request(Map.of("prompt", "x", "seed", "1",
                "emphasis", "Heavy"), SHAPES));
    }
}
