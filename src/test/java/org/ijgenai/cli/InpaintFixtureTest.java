package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * Every case of refs/inpaint_cases.json, and of the project's extra cases (euler, dpmpp_2m, 128×64 and 64×128, a
 * batch of 2, soft and off-grid masks), both made by diffusers' {@code OnnxStableDiffusionInpaintPipeline} on the
 * 9-channel fixture, and latent-mask inpainting on the 4-channel fixture against diffusers' torch
 * {@code StableDiffusionInpaintPipeline} (strength below 1 included), through {@code bin/ij-genai inpaint --context whole --composite off} at the image's size, within 2/255 of
 * diffusers' output.
 */
class InpaintFixtureTest {

    @TempDir
    Path temp;

    /** The project's own extra cases (tools/inpaint/make_inpaint_checks.py), made the same way. */
    private static final Path EXTRA = Path.of("src/test/resources/inpaint-checks");
    /**
     * Latent-mask inpainting with the 4-channel tiny-sd-onnx: diffusers' torch StableDiffusionInpaintPipeline
     * with numpy noise (tools/inpaint/make_latent_mask_checks.py), strengths 1, 0.8, 0.75 and 0.6.
     */
    private static final Path LATENT_MASK = Path.of("src/test/resources/latent-mask-checks");

    static Stream<Arguments> cases() throws IOException {
        Path file = Fixtures.dir().resolve("refs/inpaint_cases.json");
        if (!Files.exists(file)) {
            return Stream.of(Arguments.of("fixtures absent", new JsonObject(), Path.of("."), "none"));
        }
        List<Arguments> list = new ArrayList<>();
        add(list, file, Fixtures.dir().resolve("refs"), "inpaint_refs.npz");
        add(list, EXTRA.resolve("cases.json"), EXTRA, "refs.npz");
        add(list, LATENT_MASK.resolve("cases.json"), LATENT_MASK, "refs.npz");
        return list.stream();
    }

    private static void add(List<Arguments> list, Path json, Path base, String npz) throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        for (JsonElement e : root.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            list.add(Arguments.of(c.get("key").getAsString(), c, base, npz));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void cliReproducesDiffusersInpaintingWithinTwoLevels(String key, JsonObject c, Path refs, String npzName)
            throws Exception {
        boolean latentMask = c.has("strength");
        Path model = Fixtures.file(latentMask ? "tiny-sd-onnx" : "tiny-sd-inpaint-onnx");
        List<String> args = new ArrayList<>(List.of("inpaint", "--model", model.toString(),
                "--init", refs.resolve(c.get("image").getAsString()).toString(),
                "--mask", refs.resolve(c.get("mask").getAsString()).toString(),
                "--prompt", c.get("prompt").getAsString(),
                "--seed", c.get("seed").getAsString(), "--steps", c.get("steps").getAsString(),
                "--cfg", c.get("guidance_scale").getAsString(), "--scheduler", c.get("scheduler").getAsString(),
                "--width", c.get("width").getAsString(), "--height", c.get("height").getAsString(),
                "--batch", c.get("num_images_per_prompt").getAsString(),
                "--context", "whole", "--composite", "off", "--out", temp.resolve("out.png").toString(), "--quiet"));
        if (c.has("negative_prompt") && !c.get("negative_prompt").isJsonNull()) {
            args.addAll(List.of("--negative", c.get("negative_prompt").getAsString()));
        }
        if (latentMask) {
            args.addAll(List.of("--strength", c.get("strength").getAsString()));
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(new String[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        ReferenceImages.assertPngsMatchNpz(temp, refs.resolve(npzName), key, 2);
    }
}
