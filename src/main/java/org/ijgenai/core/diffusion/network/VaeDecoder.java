package org.ijgenai.core.diffusion.network;

import org.ijgenai.core.onnx.OnnxModel;
import org.ijgenai.core.onnx.SessionSettings;

import java.nio.file.Path;
import java.util.Map;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.tensor.ElementType;
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
        return new VaeDecoder(OnnxModel.load(onnxFile, settings.forNetwork(SessionSettings.Network.VAE_DECODER)));
    }

    /** Decodes one latent [1, channels, h, w]; returns the image [1, 3, H, W] and its size. */
    public Tensor decode(float[] latents, int channels, int height, int width) {
        Tensor out = model.run(Map.of(input, Tensor.ofFloats(latents, 1, channels, height, width)), "VAE decoder")
                .get(output);
        if (out == null || out.rank() != 4 || out.dim(1) != 3) {
            throw new GenAiException(model.file() + ": expected an RGB image [1, 3, H, W] as '" + output + "', got "
                    + out);
        }
        checkFinite(out.floats());
        return out;
    }

    /**
     * Refuses NaN or infinite pixels, which would silently become a black image. SDXL's VAE overflows in float16
     * (diffusers upcasts it, {@code force_upcast}); an fp16 export gets pointed to the fp16-fixed VAE.
     */
    private void checkFinite(float[] rgb) {
        int bad = 0;
        for (float v : rgb) {
            if (!Float.isFinite(v)) {
                bad++;
            }
        }
        if (bad == 0) {
            return;
        }
        boolean half = model.input(input).type() == ElementType.FLOAT16;
        throw new GenAiException(model.file() + " produced " + bad + " NaN or infinite values of " + rgb.length
                + (half ? ": this float16 VAE overflows, as SDXL's original VAE does in float16. Use a float32"
                        + " vae_decoder, or the fp16-fixed SDXL VAE (madebyollin/sdxl-vae-fp16-fix, exported to"
                        + " ONNX) in vae_decoder/"
                        : ": the latents were out of range or the VAE export is broken"));
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
