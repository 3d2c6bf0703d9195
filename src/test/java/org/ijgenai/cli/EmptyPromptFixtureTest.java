package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.ijgenai.testing.Fixtures;
import org.ijgenai.testing.ReferenceImages;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The empty prompt "" through {@code bin/ij-genai txt2img}, {@code img2img} and {@code inpaint}, against diffusers'
 * ONNX pipelines called with {@code prompt=""} (tools/prompt/make_empty_prompt_refs.py), within 2/255: "" is encoded
 * like any text, with and without guidance and a negative prompt. An inpaint case without {@code --prompt} at all
 * is the same run.
 */
class EmptyPromptFixtureTest {

    private static final Path REFS = Path.of("src/test/resources/empty-prompt");

    @TempDir
    Path temp;

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> list = new ArrayList<>();
        JsonObject root = JsonParser.parseString(Files.readString(REFS.resolve("cases.json"))).getAsJsonObject();
        for (JsonElement e : root.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            list.add(Arguments.of(c.get("key").getAsString(), c, true));
            if (c.get("kind").getAsString().equals("inpaint")) {
                list.add(Arguments.of(c.get("key").getAsString() + " without --prompt", c, false));
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void emptyPromptMatchesDiffusersWithinTwoLevels(String name, JsonObject c, boolean givePrompt) throws Exception {
        String kind = c.get("kind").getAsString();
        String key = c.get("key").getAsString();
        Path model = Fixtures.file(kind.equals("inpaint") ? "tiny-sd-inpaint-onnx" : "tiny-sd-onnx");
        List<String> args = new ArrayList<>(List.of(kind, "--model", model.toString(),
                "--seed", c.get("seed").getAsString(), "--steps", c.get("steps").getAsString(),
                "--cfg", c.get("guidance_scale").getAsString(), "--scheduler", c.get("scheduler").getAsString(),
                "--out", temp.resolve("out.png").toString(), "--quiet"));
        if (givePrompt) {
            args.addAll(List.of("--prompt", c.get("prompt").getAsString()));
        }
        if (!c.get("negative_prompt").isJsonNull()) {
            args.addAll(List.of("--negative", c.get("negative_prompt").getAsString()));
        }
        switch (kind) {
            case "txt2img":
                args.addAll(List.of("--width", c.get("width").getAsString(), "--height",
                        c.get("height").getAsString()));
                break;
            case "img2img":
                args.addAll(List.of("--init", REFS.resolve(c.get("image").getAsString()).toString(), "--strength",
                        c.get("strength").getAsString()));
                break;
            default:
                args.addAll(List.of("--init", REFS.resolve(c.get("image").getAsString()).toString(), "--mask",
                        REFS.resolve(c.get("mask").getAsString()).toString(), "--width", c.get("width").getAsString(),
                        "--height", c.get("height").getAsString(), "--context", "whole", "--composite", "off"));
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(new String[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        ReferenceImages.assertPngsMatchNpz(temp, REFS.resolve("refs.npz"), key, 2);
        Map<String, String> text = ImageFiles.readPngText(temp.resolve("out.png"));
        assertEquals("", text.get("prompt"), "the empty prompt is recorded as such");
    }
}
