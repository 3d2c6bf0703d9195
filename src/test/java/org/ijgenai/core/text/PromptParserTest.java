package org.ijgenai.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.ijgenai.core.GenAiException;
import org.junit.jupiter.api.Test;

/**
 * PromptParser against A1111's {@code parse_prompt_attention}: its doctests, and the (text, weight) lists that the
 * transcribed function in {@code tools/prompt/a1111_prompt_reference.py} gives for awkward prompts.
 */
class PromptParserTest {

    @Test
    void a1111DoctestsHold() {
        assertRuns(PromptParser.parse("normal text"), "normal text", 1.0);
        assertRuns(PromptParser.parse("an (important) word"), "an ", 1.0, "important", 1.1, " word", 1.0);
        assertRuns(PromptParser.parse("(unbalanced"), "unbalanced", 1.1);
        assertRuns(PromptParser.parse("\\(literal\\]"), "(literal]", 1.0);
        assertRuns(PromptParser.parse("(unnecessary)(parens)"), "unnecessaryparens", 1.1);
        assertRuns(PromptParser.parse("a (((house:1.3)) [on] a (hill:0.5), sun, (((sky)))."),
                "a ", 1.0, "house", 1.5730000000000004, " ", 1.1, "on", 1.0, " a ", 1.1, "hill", 0.55,
                ", sun, ", 1.1, "sky", 1.4641000000000006, ".", 1.1);
    }

    @Test
    void breakIsAMarkerOnlyAsAWholeWordOutsideBrackets() {
        assertRuns(PromptParser.parse("a BREAK b"), "a", 1.0, "BREAK", -1.0, "b", 1.0);
        assertTrue(PromptParser.parse("a BREAK b").get(1).isBreak());
        assertRuns(PromptParser.parse("aBREAK b"), "aBREAK b", 1.0);
        // inside brackets the marker's −1 is multiplied too, so it is no longer a marker: A1111 encodes "break"
        List<WeightedText> inBrackets = PromptParser.parse("(a BREAK b)");
        assertEquals(-1.1, inBrackets.get(1).weight(), 0);
        assertTrue(!inBrackets.get(1).isBreak());
    }

    @Test
    void matchesTheTranscribedA1111ParserOnAwkwardPrompts() throws IOException {
        JsonObject refs = refs();
        int checked = 0;
        for (JsonElement e : refs.getAsJsonArray("parse")) {
            JsonObject c = e.getAsJsonObject();
            String prompt = c.get("prompt").getAsString();
            List<WeightedText> expected = new ArrayList<>();
            for (JsonElement run : c.getAsJsonArray("runs")) {
                JsonArray pair = run.getAsJsonArray();
                expected.add(new WeightedText(pair.get(0).getAsString(), weight(pair.get(1))));
            }
            assertEquals(expected, PromptParser.parse(prompt), () -> "prompt " + prompt);
            checked++;
        }
        assertTrue(checked > 50, "cases: " + checked);
    }

    @Test
    void weightsThatAreNotNumbersAreRefusedWithTheWeightNamed() throws IOException {
        for (JsonElement e : refs().getAsJsonArray("parse_errors")) {
            String prompt = e.getAsString();
            GenAiException ex = assertThrows(GenAiException.class, () -> PromptParser.parse(prompt), prompt);
            assertTrue(ex.getMessage().contains("is not a number"), ex.getMessage());
        }
        GenAiException ex = assertThrows(GenAiException.class, () -> PromptParser.parse("a (cat:1.2.3)"));
        assertEquals("prompt weight '1.2.3' is not a number, in \"a (cat:1.2.3)\" (write it like (word:1.3))",
                ex.getMessage());
    }

    private static double weight(JsonElement e) {
        // Python's json writes float('inf') as Infinity, which Gson reads as a string
        String text = e.getAsString();
        return text.equals("Infinity") ? Double.POSITIVE_INFINITY : e.getAsDouble();
    }

    static JsonObject refs() throws IOException {
        try (InputStream in = PromptParserTest.class.getResourceAsStream("a1111_prompt_refs.json")) {
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    private static void assertRuns(List<WeightedText> actual, Object... textWeight) {
        List<WeightedText> expected = new ArrayList<>();
        for (int i = 0; i < textWeight.length; i += 2) {
            expected.add(new WeightedText((String) textWeight[i], (Double) textWeight[i + 1]));
        }
        assertEquals(expected, actual);
    }
}
