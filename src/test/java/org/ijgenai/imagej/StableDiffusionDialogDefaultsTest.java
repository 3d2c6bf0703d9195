package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A macro that leaves out steps or guidance gets the model's defaults, as the CLI does: 1 step and guidance 0 for an
 * SDXL model whose scheduler config says "trailing" (SDXL-Turbo), the documented 20 and 7.5 otherwise; given values
 * win.
 */
class StableDiffusionDialogDefaultsTest {

    @TempDir
    Path temp;

    /** The tiny SDXL fixture with Turbo's scheduler config (timestep_spacing "trailing"), every other part a link. */
    private Path turbo() throws Exception {
        Path fixture = Fixtures.file("tiny-sdxl-onnx");
        Path model = temp.resolve("turbo");
        Files.createDirectories(model.resolve("scheduler"));
        try (Stream<Path> parts = Files.list(fixture)) {
            for (Path part : (Iterable<Path>) parts::iterator) {
                if (!part.getFileName().toString().equals("scheduler")) {
                    Files.createSymbolicLink(model.resolve(part.getFileName()), part.toAbsolutePath());
                }
            }
        }
        String config = Files.readString(fixture.resolve("scheduler/scheduler_config.json"))
                .replace("\"timestep_spacing\": \"leading\"", "\"timestep_spacing\": \"trailing\"");
        Files.writeString(model.resolve("scheduler/scheduler_config.json"), config);
        return model;
    }

    private static StableDiffusionDialog.Values ask(String options) throws Exception {
        StableDiffusionDialog.Values[] values = new StableDiffusionDialog.Values[1];
        RuntimeException[] failure = new RuntimeException[1];
        // Macro options belong to the thread a macro runs on; ImageJ names such threads "Run$_…".
        Thread macro = new Thread(() -> {
            ij.Macro.setOptions(Thread.currentThread(), options);
            try {
                values[0] = StableDiffusionDialog.ask("Text to Image (Stable Diffusion)", false, "");
            } catch (RuntimeException e) {
                failure[0] = e;
            }
        }, "Run$_dialog-defaults-test");
        macro.start();
        macro.join();
        if (failure[0] != null) {
            throw failure[0];
        }
        return values[0];
    }

    @Test
    void aTurboModelWithoutStepsOrGuidanceGetsOneStepWithoutGuidance() throws Exception {
        StableDiffusionDialog.Values values = ask("model=[" + turbo() + "] prompt=[a red circle] seed=1");
        assertEquals(1, values.request().steps());
        assertEquals(0.0, values.request().guidance());
    }

    @Test
    void givenValuesWinAndOtherModelsKeepTheDocumentedDefaults() throws Exception {
        StableDiffusionDialog.Values turbo = ask("model=[" + turbo() + "] prompt=[a red circle] steps=3");
        assertEquals(3, turbo.request().steps());
        assertEquals(0.0, turbo.request().guidance());
        StableDiffusionDialog.Values base = ask("model=[" + Fixtures.file("tiny-sdxl-onnx")
                + "] prompt=[a red circle]");
        assertEquals(20, base.request().steps());
        assertEquals(7.5, base.request().guidance());
    }
}
