package org.ijgenai.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.ijgenai.core.GenAiException;

/**
 * The streaming ONNX reader against files written independently by tools/models/make_onnx_fixtures.py (a torch
 * export and hand-encoded protobuf); the expected locations come from that script's expected.json.
 */
class OnnxExternalDataTest {

    @TempDir
    Path temp;

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(OnnxExternalDataTest.class.getResource("onnx/" + name).toURI());
    }

    @Test
    void locationsMatchWhatTheFixtureScriptEncoded() throws Exception {
        JsonObject expected;
        try (Reader reader = Files.newBufferedReader(fixture("expected.json"), StandardCharsets.UTF_8)) {
            expected = JsonParser.parseReader(reader).getAsJsonObject();
        }
        int checked = 0;
        for (Map.Entry<String, JsonElement> item : expected.entrySet()) {
            Path file = fixture(item.getKey());
            if (item.getValue().isJsonNull()) {
                GenAiException e = assertThrows(GenAiException.class, () -> OnnxExternalData.locations(file));
                assertTrue(e.getMessage().contains("not a valid ONNX file"), e.getMessage());
            } else {
                List<String> want = new ArrayList<>();
                item.getValue().getAsJsonArray().forEach(v -> want.add(v.getAsString()));
                assertEquals(want, OnnxExternalData.locations(file), item.getKey());
            }
            checked++;
        }
        assertEquals(5, checked);
    }

    @Test
    void externalDataInsideTheFolderIsAcceptedAndMustExist() throws Exception {
        Path model = temp.resolve("m");
        Files.createDirectories(model);
        Files.copy(fixture("external_inside.onnx"), model.resolve("model.onnx"));
        GenAiException missing = assertThrows(GenAiException.class,
                () -> OnnxExternalData.requireInside(model.resolve("model.onnx"), model, true));
        assertTrue(missing.getMessage().contains("is missing"), missing.getMessage());
        Files.copy(fixture("weights.bin"), model.resolve("weights.bin"));
        assertEquals(List.of("weights.bin"), OnnxExternalData.requireInside(model.resolve("model.onnx"), model,
                true));
    }

    @Test
    void externalDataOutsideTheFolderIsRefusedEvenWhenNested() throws Exception {
        for (String name : new String[] {"external_escape.onnx", "external_nested.onnx"}) {
            Path model = temp.resolve(name + ".d");
            Files.createDirectories(model.resolve("sub"));
            Files.copy(fixture(name), model.resolve("model.onnx"));
            Files.writeString(model.resolve("sub/const.bin"), "0123456789abcdef");
            GenAiException e = assertThrows(GenAiException.class,
                    () -> OnnxExternalData.requireInside(model.resolve("model.onnx"), model, false));
            assertTrue(e.getMessage().contains("outside the model folder"), e.getMessage());
        }
    }

    @Test
    void aLinkThatLeavesTheFolderIsRefused() throws Exception {
        Path model = temp.resolve("linked");
        Files.createDirectories(model);
        Files.copy(fixture("external_inside.onnx"), model.resolve("model.onnx"));
        Path secret = temp.resolve("secret.bin");
        Files.writeString(secret, "not for models");
        try {
            Files.createSymbolicLink(model.resolve("weights.bin"), secret);
        } catch (UnsupportedOperationException | IOException e) {
            return; // No symbolic links on this file system: nothing to check.
        }
        GenAiException e = assertThrows(GenAiException.class,
                () -> OnnxExternalData.requireInside(model.resolve("model.onnx"), model, true));
        assertTrue(e.getMessage().contains("is a link"), e.getMessage());
    }
}
