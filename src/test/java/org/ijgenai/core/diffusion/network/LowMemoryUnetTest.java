package org.ijgenai.core.diffusion.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;

import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.tensor.Tensor;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** The UNet loaded for short memory (no repacked weights) predicts what the default session predicts. */
class LowMemoryUnetTest {

    @Test
    void withoutRepackedWeightsTheNoisePredictionIsTheSame() {
        Path file = Fixtures.file("tiny-sd-onnx/unet/model.onnx");
        SessionSettings cpu = new SessionSettings(1, true, -1);
        int h = 8;
        float[] sample = new float[2 * 4 * h * h];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = (float) Math.sin(i * 0.37);
        }
        float[] text = new float[2 * 77 * 32];
        for (int i = 0; i < text.length; i++) {
            text[i] = (float) Math.cos(i * 0.11) * 0.5f;
        }
        UnetConditioning conditioning = UnetConditioning.ofText(Tensor.ofFloats(text, 2, 77, 32));
        float[] normal;
        try (Unet unet = Unet.load(file, cpu, false)) {
            normal = unet.predict(sample, 2, h, h, 501, conditioning);
        }
        try (Unet unet = Unet.load(file, cpu, true)) {
            assertArrayEquals(normal, unet.predict(sample, 2, h, h, 501, conditioning), 1e-5f);
        }
    }
}
