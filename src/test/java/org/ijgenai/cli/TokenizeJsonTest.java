package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code tokenize --json} on the bundled shapes-sd model prints the chunks of A1111's {@code tokenize_line}, as the
 * transcribed reference ({@code tools/prompt/a1111_prompt_reference.py}) made them.
 */
class TokenizeJsonTest {

    @Test
    void jsonChunksEqualA1111sOnTheBundledTokenizer() throws Exception {
        JsonObject refs;
        try (InputStream in = getClass().getResourceAsStream("/org/ijgenai/core/text/a1111_prompt_refs.json")) {
            refs = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
        for (JsonElement e : refs.getAsJsonObject("chunks").getAsJsonArray("shapes-sd")) {
            JsonObject c = e.getAsJsonObject();
            JsonObject printed = JsonParser.parseString(run("--model", "models/shapes-sd", "--text",
                    c.get("prompt").getAsString(), "--json")).getAsJsonObject();
            JsonArray chunks = printed.getAsJsonArray("chunks");
            assertEquals(c.getAsJsonArray("chunks"), chunks, c.get("prompt").getAsString());
            for (JsonElement chunk : chunks) {
                assertEquals(77, chunk.getAsJsonObject().getAsJsonArray("ids").size());
            }
            assertEquals(c.get("token_count").getAsInt(), printed.get("token_count").getAsInt());
        }
    }

    @Test
    void anUnknownEmphasisIsAUsageError() {
        UsageException e = assertThrows(UsageException.class,
                () -> run("--model", "models/shapes-sd", "--text", "x", "--json", "--emphasis", "loud"));
        assertTrue(e.getMessage().contains("known: Original, No norm, Comfy, Ignore, None"), e.getMessage());
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new TokenizeCommand(new PrintStream(out, true, StandardCharsets.UTF_8))
                .run(new CliArgs(List.of(args), Set.of("json")));
        assertEquals(0, code);
        return out.toString(StandardCharsets.UTF_8);
    }
}
