package org.ijgenai.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;

import org.ijgenai.core.diffusion.network.Unet;
import org.ijgenai.core.diffusion.network.UnetConditioning;
import org.ijgenai.core.io.NpyArray;
import org.ijgenai.core.io.NpzArchive;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.tensor.Tensor;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The "encode prompt" part for SDXL against what diffusers' StableDiffusionXLPipeline fed its UNet on the first
 * step (refs/sdxl_refs.npz {@code <key>_unet_*}): embeddings, pooled embeddings and time ids, negative half first.
 */
class SdxlPromptEncoderTest {

    /** text_encoder's hidden size in the fixture: the first 32 of the 64 concatenated features. */
    private static final int FIRST_ENCODER_DIM = 32;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"sdxl_euler_cfg5_neg", "sdxl_euler_cfg1", "sdxl_euler_cfg7_negnone_zeros"})
    void conditioningEqualsTheFirstUnetInputsOfDiffusers(String key) throws Exception {
        JsonObject c = caseOf(key);
        String negative = c.get("negative_prompt").isJsonNull() ? null : c.get("negative_prompt").getAsString();
        GenerationRequest request = new GenerationRequest(List.of(c.get("prompt").getAsString()), negative, 1,
                c.get("steps").getAsInt(), c.get("guidance_scale").getAsDouble(), "euler", c.get("width").getAsInt(),
                c.get("height").getAsInt(), 1, 0.75);
        UnetConditioning conditioning;
        try (StableDiffusionModel model = StableDiffusionModel.open(Fixtures.file("tiny-sdxl-onnx"),
                SessionSettings.DEFAULT)) {
            conditioning = new SdxlPromptEncoder(model).encode(request, request.usesGuidance());
        }
        // The fixture's tokenizer_2 ids for a typed "!" are not transformers' (see SdxlFixtureTest#diffusersIds2),
        // so for such prompts only the first encoder's features can be compared.
        boolean firstEncoderOnly = c.get("prompt").getAsString().contains("!");
        try (NpzArchive npz = NpzArchive.open(Fixtures.file("refs/sdxl_refs.npz"))) {
            NpyArray hidden = npz.get(key + "_unet_encoder_hidden_states");
            assertClose(hidden, conditioning.hiddenStates(), 1e-5, firstEncoderOnly ? FIRST_ENCODER_DIM : -1);
            if (!firstEncoderOnly) {
                assertClose(npz.get(key + "_unet_text_embeds"), conditioning.extraInputs().get(Unet.TEXT_EMBEDS),
                        1e-5, -1);
            }
            assertClose(npz.get(key + "_unet_time_ids"), conditioning.extraInputs().get(Unet.TIME_IDS), 0, -1);
        }
        if (negative == null && request.usesGuidance()) {
            float[] hidden = conditioning.hiddenStates().floats();
            for (int i = 0; i < hidden.length / 2; i++) {
                assertEquals(0f, hidden[i], "the zeros path: negative half must be exactly zero");
            }
        }
    }

    /** Compares all values, or only the first {@code features} of each row of the last axis when > 0. */
    private static void assertClose(NpyArray expected, Tensor actual, double tolerance, int features) {
        assertArrayEquals(expected.shape(), actual.shape());
        float[] e = expected.floats();
        float[] a = actual.floats();
        long[] shape = actual.shape();
        int row = (int) shape[shape.length - 1];
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            if (features <= 0 || i % row < features) {
                worst = Math.max(worst, Math.abs(e[i] - a[i]));
            }
        }
        assertTrue(worst <= tolerance, "worst difference " + worst);
    }

    private static JsonObject caseOf(String key) throws Exception {
        String json = Files.readString(Fixtures.file("refs/sdxl_cases.json"));
        for (JsonElement e : JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            if (c.has("key") && c.get("key").getAsString().equals(key)) {
                return c;
            }
        }
        throw new IllegalArgumentException(key);
    }
}
