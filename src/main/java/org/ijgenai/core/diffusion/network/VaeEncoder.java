package org.ijgenai.core.diffusion.network;

import org.ijgenai.core.onnx.OnnxModel;
import org.ijgenai.core.onnx.SessionSettings;

import java.nio.file.Path;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.tensor.Tensor;

/**
 * The VAE encoder of a Stable Diffusion model: an image [1, 3, H, W] in [−1, 1] to its latent distribution. Exports
 * return either {@code latent_sample} (4 channels, already a sample or the mean) or {@code latent_parameters}
 * (8 channels: the mean and the log-variance).
 */
public final class VaeEncoder implements AutoCloseable {

    private final OnnxModel model;
    private final String input;
    private final String output;

    private VaeEncoder(OnnxModel model) {
        this.model = model;
        this.input = model.inputs().containsKey("sample") ? "sample" : model.inputs().keySet().iterator().next();
        this.output = model.outputs().containsKey("latent_sample") ? "latent_sample"
                : model.outputs().containsKey("latent_parameters") ? "latent_parameters"
                : model.outputs().keySet().iterator().next();
    }

    /** Loads {@code vae_encoder/model.onnx}. */
    public static VaeEncoder load(Path onnxFile, SessionSettings settings) {
        return new VaeEncoder(OnnxModel.load(onnxFile, settings.forNetwork(SessionSettings.Network.VAE_ENCODER)));
    }

    /**
     * Encodes one image.
     *
     * @param image [1, 3, height, width] in [−1, 1]
     * @param latentChannels the channels the UNet expects (4): an output of twice as many holds mean and log-variance
     */
    public LatentDistribution encode(float[] image, int height, int width, int latentChannels) {
        Tensor out = model.run(Map.of(input, Tensor.ofFloats(image, 1, 3, height, width)), "VAE encoder").get(output);
        if (out == null || out.rank() != 4) {
            throw new GenAiException(model.file() + ": expected latents [1, C, h, w] as '" + output + "', got " + out);
        }
        int channels = (int) out.dim(1);
        int h = (int) out.dim(2);
        int w = (int) out.dim(3);
        if (channels == latentChannels) {
            return new LatentDistribution(out.floats(), null, channels, h, w);
        }
        if (channels == 2 * latentChannels) {
            int half = latentChannels * h * w;
            float[] all = out.floats();
            float[] mean = java.util.Arrays.copyOfRange(all, 0, half);
            float[] logVar = java.util.Arrays.copyOfRange(all, half, 2 * half);
            return new LatentDistribution(mean, logVar, latentChannels, h, w);
        }
        throw new GenAiException(model.file() + " returns " + channels + " latent channels; the UNet takes "
                + latentChannels + " (or " + 2 * latentChannels + " as mean and log-variance)");
    }

    /** The file the encoder was loaded from. */
    public Path file() {
        return model.file();
    }

    @Override
    public void close() {
        model.close();
    }
}
