package org.ijgenai.core.diffusion.network;

import org.ijgenai.core.onnx.OnnxModel;
import org.ijgenai.core.onnx.SessionSettings;

import java.nio.file.Path;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.tensor.Tensor;

/** The VAE decoder of a Stable Diffusion model: unscaled latents [1, C, h, w] to an image [1, 3, H, W] in ≈[−1, 1]. */
public final class VaeDecoder implements AutoCloseable {

    private final OnnxModel model;
    private final String input;
    private final String output;

    private VaeDecoder(OnnxModel model) {
        this.model = model;
        this.input = model.inputs().containsKey("latent_sample") ? "latent_sample"
                : model.inputs().keySet().iterator().next();
        this.output = model.outputs().containsKey("sample") ? "sample" : model.outputs().keySet().iterator().next();
    }

    /** Loads {@code vae_decoder/model.onnx}. */
    public static VaeDecoder load(Path onnxFile, SessionSettings settings) {
        return new VaeDecoder(OnnxModel.load(onnxFile, settings));
    }

    /** Decodes one latent [1, channels, h, w]; returns the image [1, 3, H, W] and its size. */
    public Tensor decode(float[] latents, int channels, int height, int width) {
        Tensor out = model.run(Map.of(input, Tensor.ofFloats(latents, 1, channels, height, width)), "VAE decoder")
                .get(output);
        if (out == null || out.rank() != 4 || out.dim(1) != 3) {
            throw new GenAiException(model.file() + ": expected an RGB image [1, 3, H, W] as '" + output + "', got "
                    + out);
        }
        return out;
    }

    /** The file the decoder was loaded from. */
    public Path file() {
        return model.file();
    }

    @Override
    public void close() {
        model.close();
    }
}
