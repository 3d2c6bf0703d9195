package org.ijgenai.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What ClipModel reads beyond the two networks: the zero-shot temperature (combined model.onnx, config.json, else
 * 100) and the embedding size when config.json lacks it.
 */
class ClipLogitScaleTest {

    @TempDir
    Path tmp;

    private Path copyOfTinyClip() throws IOException {
        Path source = Fixtures.file("tiny-clip");
        Path target = tmp.resolve("tiny-clip");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path dest = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
        return target;
    }

    @Test
    void learnedScaleIsMeasuredOnTheCombinedModel() throws IOException, URISyntaxException {
        Path dir = copyOfTinyClip();
        // tools/clip/make_combined_clip.py exports it with exp(logit_scale) = 42.5.
        Path combined = Path.of(ClipLogitScaleTest.class.getResource("combined/model.onnx").toURI());
        Files.copy(combined, dir.resolve("onnx/model.onnx"));
        try (ClipModel model = ClipModel.open(dir, SessionSettings.DEFAULT)) {
            assertTrue(model.hasLearnedLogitScale());
            assertEquals(42.5, model.logitScale(), 1e-3);
        }
    }

    @Test
    void withoutACombinedModelTheScaleIsOneHundred() throws IOException {
        try (ClipModel model = ClipModel.open(copyOfTinyClip(), SessionSettings.DEFAULT)) {
            assertFalse(model.hasLearnedLogitScale());
            assertEquals(ClipModel.DEFAULT_LOGIT_SCALE, model.logitScale());
        }
    }

    @Test
    void aTrainedScaleInConfigJsonIsUsedWhenThereIsNoCombinedModel() throws IOException {
        Path dir = copyOfTinyClip();
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), config.replaceFirst("\\{", "{\"logit_scale\": 26.5,"));
        try (ClipModel model = ClipModel.open(dir, SessionSettings.DEFAULT)) {
            assertTrue(model.hasLearnedLogitScale());
            assertEquals(26.5, model.logitScale(), 0);
        }
    }

    @Test
    void withoutProjectionDimTheDimensionComesFromTheVisionNetwork() throws IOException {
        Path dir = copyOfTinyClip();
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), config.replace("\"projection_dim\": 16,", ""));
        try (ClipModel model = ClipModel.open(dir, SessionSettings.DEFAULT)) {
            assertEquals(16, model.dimension());
        }
    }
}
