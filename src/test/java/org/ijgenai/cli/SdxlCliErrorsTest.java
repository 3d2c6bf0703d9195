package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken SDXL exports get one clear line naming the file, exit code 1 and no trace: a folder missing
 * text_encoder_2, a text encoder without the penultimate hidden state, a UNet without time_ids.
 */
class SdxlCliErrorsTest {

    @TempDir
    Path temp;

    /** The SDXL fixture with some parts replaced ({@code null}: left out), every part a link. */
    private Path sdxlWith(Map<String, Path> replaced) throws IOException {
        return Fixtures.linkedModel("tiny-sdxl-onnx", temp.resolve("model"), replaced);
    }

    private String[] txt2img(Path model) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"txt2img", "--model", model.toString(), "--prompt", "a cat", "--steps", "2",
            "--cfg", "5", "--width", "64", "--height", "64", "--out", temp.resolve("x.png").toString(), "--quiet"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        return new String[] {Integer.toString(code), err.toString(StandardCharsets.UTF_8)};
    }

    private void assertOneLine(String[] result, String... fragments) {
        assertEquals("1", result[0], result[1]);
        for (String fragment : fragments) {
            assertTrue(result[1].contains(fragment), result[1]);
        }
        assertFalse(result[1].contains("\tat "), result[1]);
        assertFalse(Files.exists(temp.resolve("x.png")), "no image may be written");
    }

    @Test
    void aFolderMissingTextEncoder2IsNamed() throws IOException {
        Map<String, Path> none = new java.util.HashMap<>();
        none.put("text_encoder_2", null);
        assertOneLine(txt2img(sdxlWith(none)), "text_encoder_2/model.onnx is missing", "SDXL");
    }

    @Test
    void anExportWithoutThePenultimateHiddenStateIsNamed() throws IOException {
        // A diffusers-converter-style text encoder: last_hidden_state and pooler_output only.
        Path encoder = Fixtures.file("tiny-sd-onnx/text_encoder");
        assertOneLine(txt2img(sdxlWith(Map.of("text_encoder", encoder))), "text_encoder", "model.onnx",
                "penultimate", "hidden_states");
    }

    @Test
    void aUnetWithoutTimeIdsIsNamed() throws IOException {
        Path unet = Fixtures.file("tiny-sd-onnx/unet");
        assertOneLine(txt2img(sdxlWith(Map.of("unet", unet))), "unet", "model.onnx", "'time_ids'");
    }

    @Test
    void aUnetWithTextEmbedsButWithoutTimeIdsIsNamed() throws IOException {
        // tools/make_sdxl_error_exports.py: sample, timestep, encoder_hidden_states, text_embeds; no time_ids.
        Path unet = resource("unet_text_embeds_only");
        assertOneLine(txt2img(sdxlWith(Map.of("unet", unet))), "unet/model.onnx",
                "incomplete SDXL UNet", "no input 'time_ids'");
    }

    @Test
    void aFloat16VaeThatOverflowsPointsToTheFp16FixedVae() throws IOException {
        // tools/make_sdxl_error_exports.py: a float16 decoder whose output overflows to infinity.
        Path vae = resource("vae_decoder_fp16_overflow");
        assertOneLine(txt2img(sdxlWith(Map.of("vae_decoder", vae))), "vae_decoder/model.onnx",
                "NaN or infinite values of 12288", "float16 VAE overflows", "madebyollin/sdxl-vae-fp16-fix");
    }

    private static Path resource(String name) {
        try {
            return Path.of(SdxlCliErrorsTest.class.getResource("/org/ijgenai/core/diffusion/sdxl/" + name
                    + "/model.onnx").toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
