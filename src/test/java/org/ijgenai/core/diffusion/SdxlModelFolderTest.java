package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ijgenai.core.GenAiException;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SDXL folder detection, its configuration facts, SDXL-Turbo defaults and the timestep-spacing override. */
class SdxlModelFolderTest {

    @TempDir
    Path temp;

    /** An SDXL-layout folder of placeholder files with the given model index and scheduler config. */
    private Path fakeXl(String modelIndex, String schedulerJson) throws IOException {
        for (String file : new String[] {"unet/model.onnx", "text_encoder/model.onnx", "text_encoder_2/model.onnx",
            "vae_decoder/model.onnx", "tokenizer/vocab.json", "tokenizer/merges.txt", "tokenizer_2/vocab.json",
            "tokenizer_2/merges.txt"}) {
            Files.createDirectories(temp.resolve(file).getParent());
            Files.writeString(temp.resolve(file), "x");
        }
        Files.createDirectories(temp.resolve("scheduler"));
        Files.writeString(temp.resolve("scheduler/scheduler_config.json"), schedulerJson);
        Files.writeString(temp.resolve("model_index.json"), modelIndex);
        return temp;
    }

    private static final String XL_INDEX = "{\"_class_name\":\"StableDiffusionXLPipeline\","
            + "\"unet\":[\"diffusers\",\"UNet2DConditionModel\"],\"text_encoder\":[\"transformers\",\"CLIPTextModel\"],"
            + "\"text_encoder_2\":[\"transformers\",\"CLIPTextModelWithProjection\"]%s}";

    @Test
    void theFixtureIsRecognisedAsSdxlWithItsConfigFacts() {
        ModelFolder folder = ModelFolder.open(Fixtures.file("tiny-sdxl-onnx"));
        assertTrue(folder.isXl());
        assertTrue(folder.forceZerosForEmptyPrompt());
        assertEquals(0.13025, folder.scalingFactor(), 0);
        assertEquals(128, folder.nativeWidth()); // unet sample_size 16 × the VAE's 8
        assertFalse(folder.isTurbo());
        assertEquals(GenerationRequest.DEFAULT_STEPS, folder.defaultSteps());
        assertTrue(folder.root().resolve("tokenizer_2").equals(folder.tokenizer2()));
    }

    @Test
    void sd1FoldersAreNotSdxl() {
        ModelFolder folder = ModelFolder.open(Fixtures.file("tiny-sd-onnx"));
        assertFalse(folder.isXl());
        assertFalse(folder.forceZerosForEmptyPrompt());
    }

    @Test
    void forceZerosFollowsTheModelIndex() throws IOException {
        fakeXl(String.format(XL_INDEX, ",\"force_zeros_for_empty_prompt\":false"), "{}");
        assertFalse(ModelFolder.open(temp).forceZerosForEmptyPrompt());
    }

    @Test
    void aTrailingSdxlSchedulerGivesTurboDefaults() throws IOException {
        // sdxl-turbo ships EulerAncestralDiscreteScheduler with timestep_spacing "trailing".
        fakeXl(String.format(XL_INDEX, ""), "{\"_class_name\":\"EulerAncestralDiscreteScheduler\","
                + "\"timestep_spacing\":\"trailing\"}");
        ModelFolder folder = ModelFolder.open(temp);
        assertTrue(folder.isTurbo());
        assertEquals(1, folder.defaultSteps());
        assertEquals(0.0, folder.defaultGuidance(), 0);
    }

    @Test
    void aRefinerIsRefusedClearly() throws IOException {
        fakeXl("{\"_class_name\":\"StableDiffusionXLImg2ImgPipeline\",\"unet\":[\"diffusers\",\"UNet2DConditionModel\"],"
                + "\"text_encoder\":[null,null],\"text_encoder_2\":[\"transformers\",\"CLIPTextModelWithProjection\"]}",
                "{}");
        GenAiException e = assertThrows(GenAiException.class, () -> ModelFolder.open(temp));
        assertTrue(e.getMessage().contains("refiner"), e.getMessage());
    }

    @Test
    void aMissingSecondTokenizerIsNamed() throws IOException {
        fakeXl(String.format(XL_INDEX, ""), "{}");
        Files.delete(temp.resolve("tokenizer_2/merges.txt"));
        GenAiException e = assertThrows(GenAiException.class, () -> ModelFolder.open(temp));
        assertTrue(e.getMessage().contains("tokenizer_2/merges.txt is missing"), e.getMessage());
    }

    @Test
    void timestepSpacingOverridesTheSchedulerConfig() {
        ModelFolder folder = ModelFolder.open(Fixtures.file("tiny-sd-onnx"));
        // diffusers "trailing": round(arange(1000, 0, -1000/10)) − 1, steps_offset not applied.
        double[] trailing = {999, 899, 799, 699, 599, 499, 399, 299, 199, 99};
        var ddim = Schedulers.create("ddim", folder, "trailing");
        ddim.setTimesteps(10);
        assertArrayEquals(trailing, ddim.timesteps(), 0);
        // The SD file has no timestep_spacing key, so DDIM takes its own "leading" (plus steps_offset 1).
        var leading = Schedulers.create("ddim", folder, null);
        leading.setTimesteps(10);
        assertEquals(901, leading.timesteps()[0], 0);
    }

    @Test
    void anUnknownTimestepSpacingIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GenerationRequest(
                List.of("a cat"), null, 1, 4, 0, "euler", 0, 0, 1, 0.75, null, null, null, "sideways"));
        assertTrue(e.getMessage().contains("leading, linspace, trailing"), e.getMessage());
    }
}
