package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import ij.Macro;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Models… command run headless from a macro call, as {@code run("Models...", "action=…")} does. */
class ModelsManagerCommandTest {

    @TempDir
    Path user;

    @AfterEach
    void clear() {
        System.clearProperty("ijgenai.models");
    }

    private String runMacro(String options) throws Exception {
        System.setProperty("ijgenai.models", user.toString());
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            // ImageJ hands macro options only to threads named like its macro runner.
            Thread thread = new Thread(() -> {
                Macro.setOptions(Thread.currentThread(), options);
                new ModelsManagerCommand().run("");
            }, "Run$_models_test");
            thread.start();
            thread.join(30_000);
        } finally {
            System.setOut(stdout);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listAndVerifyWriteToTheLogHeadless() throws Exception {
        Path model = Files.createDirectories(user.resolve("style-a"));
        Files.write(model.resolve("model.onnx"), new byte[] {0x08, 0x07});
        Files.writeString(model.resolve("descriptor.json"), "{\"task\": \"style\"}");
        String list = runMacro("action=list");
        assertTrue(list.contains("style-a\tstyle"), list);
        assertTrue(list.contains("sd-turbo-onnx"), list);

        org.ijgenai.core.catalog.ModelStore store = ModelsWindow.openStore();
        store.add(model, "style-a");
        String verified = runMacro("action=verify name=style-a");
        assertTrue(verified.contains("OK: style-a, 2 files match the manifest"), verified);
    }
}
