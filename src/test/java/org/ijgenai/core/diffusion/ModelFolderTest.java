package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ijgenai.core.GenAiException;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderTest {

    @TempDir
    Path temp;

    private Path fakeModel(String schedulerJson) throws IOException {
        for (String dir : new String[] {"unet", "text_encoder", "vae_decoder", "tokenizer", "scheduler"}) {
            Files.createDirectories(temp.resolve(dir));
        }
        Files.writeString(temp.resolve("model_index.json"), "{\"_class_name\":\"OnnxStableDiffusionPipeline\","
                + "\"unet\":[\"diffusers\",\"OnnxRuntimeModel\"],\"text_encoder\":[\"diffusers\",\"OnnxRuntimeModel\"]}");
        for (String file : new String[] {"unet/model.onnx", "text_encoder/model.onnx", "vae_decoder/model.onnx",
            "tokenizer/vocab.json", "tokenizer/merges.txt"}) {
            Files.writeString(temp.resolve(file), "x");
        }
        Files.writeString(temp.resolve("scheduler/scheduler_config.json"), schedulerJson);
        return temp;
    }

    @Test
    void aFolderThatIsNotAModelIsRefusedClearly() throws IOException {
        Files.writeString(temp.resolve("notes.txt"), "hello");
        GenAiException e = assertThrows(GenAiException.class, () -> ModelFolder.open(temp));
        assertTrue(e.getMessage().contains("not a Stable Diffusion"), e.getMessage());
    }

    @Test
    void aSegmentationPipelineIndexIsRefused() throws IOException {
        Files.writeString(temp.resolve("model_index.json"), "{\"_class_name\":\"SomethingElse\"}");
        GenAiException e = assertThrows(GenAiException.class, () -> ModelFolder.open(temp));
        assertTrue(e.getMessage().contains("SomethingElse"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() throws IOException {
        fakeModel("{}");
        Files.delete(temp.resolve("vae_decoder/model.onnx"));
        GenAiException e = assertThrows(GenAiException.class, () -> ModelFolder.open(temp));
        assertTrue(e.getMessage().contains("vae_decoder/model.onnx"), e.getMessage());
    }

    @Test
    void aBrokenConfigIsNamed() throws IOException {
        fakeModel("{ not json");
        GenAiException e = assertThrows(GenAiException.class, () -> ModelFolder.open(temp));
        assertTrue(e.getMessage().contains("scheduler_config.json"), e.getMessage());
    }

    @Test
    void nativeSizeComesFromTheUnetConfigElse512Or768ForVPrediction() throws IOException {
        fakeModel("{\"_class_name\":\"DDIMScheduler\",\"prediction_type\":\"v_prediction\"}");
        ModelFolder v = ModelFolder.open(temp);
        assertEquals(768, v.nativeWidth());
        assertEquals(ModelFolder.DEFAULT_SCALING_FACTOR, v.scalingFactor());
        assertFalse(v.hasVaeEncoder());
        Files.writeString(temp.resolve("unet/config.json"), "{\"sample_size\": 8, \"block_out_channels\": [32, 64]}");
        Files.writeString(temp.resolve("vae_decoder/config.json"), "{\"scaling_factor\": 0.13025}");
        ModelFolder configured = ModelFolder.open(temp);
        assertEquals(64, configured.nativeWidth());
        assertEquals(0.13025, configured.scalingFactor());
        assertEquals(16, configured.sizeMultiple());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> configured.checkSize(72, 64));
        assertTrue(e.getMessage().contains("multiples of 16"), e.getMessage());
    }

    @Test
    void theSharedFixtureOpensWithDefaults() {
        ModelFolder folder = ModelFolder.open(Fixtures.file("tiny-sd-onnx"));
        assertEquals(512, folder.nativeWidth());
        assertEquals("PNDMScheduler", folder.schedulerClass());
        assertEquals("pndm", Schedulers.nameOfModelScheduler(folder));
        assertTrue(folder.hasVaeEncoder());
    }
}
