package org.ijgenai.core.diffusion.network;

import org.ijgenai.core.onnx.SessionSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;

import org.ijgenai.core.random.NumpyRandomState;
import org.ijgenai.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The runners adapt to the signatures real exports use; the toy networks (tools/export_sd_signature_models.py)
 * compute out = sample/2 + t/1000 + mean(hidden) [+ Σ timestep_cond], so the expected values are by hand.
 */
class SdRunnerSignatureTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(SdRunnerSignatureTest.class.getResource(name).toURI());
    }

    private static Tensor hidden(int batch, float value) {
        float[] data = new float[batch * 77 * 8];
        Arrays.fill(data, value);
        return Tensor.ofFloats(data, batch, 77, 8);
    }

    @ParameterizedTest
    @CsvSource({"unet_float_timestep_batch.onnx, 1.4509", "unet_int64_timestep_one.onnx, 1.45",
        "unet_scalar_timestep.onnx, 1.4509", "unet_float16.onnx, 1.4509"})
    void timestepIsFedInTheExportsDtypeAndShape(String file, double expected) throws Exception {
        try (Unet unet = Unet.load(resource(file), SessionSettings.DEFAULT)) {
            assertFalse(unet.takesGuidanceEmbedding());
            float[] latents = new float[2 * 4 * 4 * 6];
            Arrays.fill(latents, 1f);
            float[] out = unet.predict(latents, 2, 4, 6, 700.9, hidden(2, 0.25f), null);
            assertEquals(latents.length, out.length);
            for (float v : out) {
                // float16 carries about three decimal digits.
                assertEquals(expected, v, file.contains("16") ? 2e-3 : 1e-5);
            }
        }
    }

    @Test
    void lcmUnetTakesTheGuidanceEmbedding() throws Exception {
        try (Unet unet = Unet.load(resource("unet_lcm_timestep_cond.onnx"), SessionSettings.DEFAULT)) {
            assertTrue(unet.takesGuidanceEmbedding());
            float[] latents = new float[4 * 4 * 6];
            float[] cond = {1, 1, 1, 1, 1, 1};
            float[] out = unet.predict(latents, 1, 4, 6, 250, hidden(1, 0f), cond);
            assertEquals(0.25 + 6, out[0], 1e-5);
        }
    }

    @Test
    void int64IdsAreAccepted() throws Exception {
        try (TextEncoder encoder = TextEncoder.load(resource("text_encoder_int64_ids.onnx"), SessionSettings.DEFAULT)) {
            int[] ids = new int[77];
            ids[0] = 49406;
            ids[1] = 7;
            Tensor hidden = encoder.encode(new int[][] {ids});
            assertEquals(3, hidden.rank());
            assertEquals(49406f * 3, hidden.floats()[2]);
            assertEquals(7f * 4, hidden.floats()[4 + 3]);
        }
    }

    @Test
    void eightChannelEncoderIsSampledWithTheSeededGeneratorOrTakesTheMean() throws Exception {
        try (VaeEncoder encoder = VaeEncoder.load(resource("vae_encoder_latent_parameters.onnx"),
                SessionSettings.DEFAULT)) {
            float[] image = new float[3 * 16 * 16];
            Arrays.fill(image, 0.5f);
            LatentDistribution dist = encoder.encode(image, 16, 16, 4);
            assertTrue(dist.hasVariance());
            assertEquals(4 * 2 * 2, dist.mean().length);
            assertEquals(0.25f, dist.mode()[0], 1e-6);
            float[] sample = dist.sample(new NumpyRandomState(3));
            float[] eps = new NumpyRandomState(3).randn(16);
            for (int i = 0; i < 16; i++) {
                assertEquals(0.25f + 0.5f * eps[i], sample[i], 1e-6);
            }
        }
    }
}
