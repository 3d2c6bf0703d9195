package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A macro that leaves out steps or guidance gets the model's defaults, as the CLI does: 1 step and guidance 0 for an
 * SDXL model whose scheduler config says "trailing" (SDXL-Turbo), the documented 20 and 7.5 otherwise; given values
 * win. (The dialog calls this in a macro; the dialog itself needs ij1-patcher's headless mode, not run here.)
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

    /** Steps and guidance for macro options, with the dialog's documented defaults where the model has none. */
    private static double[] chosen(String options, Path model) {
        return StableDiffusionDialog.macroStepsAndGuidance(options, model.toString(), 20, 7.5);
    }

    @Test
    void aTurboModelWithoutStepsOrGuidanceGetsOneStepWithoutGuidance() throws Exception {
        Path turbo = turbo();
        assertArrayEquals(new double[] {1, 0}, chosen("model=[" + turbo + "] prompt=[a red circle] seed=1", turbo));
    }

    @Test
    void givenValuesWinAndOtherModelsKeepTheDocumentedDefaults() throws Exception {
        Path turbo = turbo();
        assertArrayEquals(new double[] {20, 0}, chosen("model=[" + turbo + "] prompt=[a] steps=20", turbo));
        assertArrayEquals(new double[] {1, 7.5}, chosen("model=[" + turbo + "] prompt=[a] guidance=7.5", turbo));
        Path base = Fixtures.file("tiny-sdxl-onnx");
        assertArrayEquals(new double[] {20, 7.5}, chosen("model=[" + base + "] prompt=[a red circle]", base));
        assertArrayEquals(new double[] {20, 7.5}, chosen("model=[nowhere] prompt=[a]", Path.of("nowhere")));
    }
}
