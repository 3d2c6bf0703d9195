package org.ijgenai.core.diffusion;

import java.util.Map;
import java.util.function.Consumer;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.network.LatentDistribution;

/**
 * The start of an inpainting UNet (9 input channels), as diffusers' {@code OnnxStableDiffusionInpaintPipeline}
 * computes it: the latents are pure noise drawn first, σ_init · randn(B, 4, h, w); the masked image is encoded once;
 * and at every evaluation the UNet's sample is [scaled latents, latent mask, scaled masked-image latents] in the
 * channel dimension, for each image of the UNet batch (doubled under guidance).
 *
 * <p>Choices where diffusers has none: the masked image's latents are scaled by the model's scaling factor
 * (diffusers hard-codes 0.18215, the default here), and an 8-channel VAE encoder contributes its mean, so no
 * random draw is added after the noise.
 */
public final class InpaintUnetLatents implements LatentStart {

    private final InpaintImage image;
    private float[] mask;
    private float[] maskedLatents;
    private int latentPlane;

    /** The start from an image and its mask. */
    public InpaintUnetLatents(InpaintImage image) {
        this.image = image;
    }

    @Override
    public int[] size(GenerationRequest request, ModelFolder folder) {
        return InpaintSize.of(request, image);
    }

    @Override
    public int firstStep(GenerationRequest request, double[] timesteps) {
        return 0;
    }

    @Override
    public int preparationUnits() {
        return 1;
    }

    @Override
    public float[] prepare(DenoisingPlan plan, StableDiffusionModel model, Consumer<String> progress) {
        float[] latents = plan.generator().randn(plan.latentSize());
        progress.accept("encoding the masked image");
        int h = plan.latentHeight();
        int w = plan.latentWidth();
        latentPlane = h * w;
        mask = image.latentMask(w, h);
        LatentDistribution encoded = model.vaeEncoder().encode(image.maskedImageInput(plan.width(), plan.height()),
                plan.height(), plan.width(), plan.channels());
        float[] mean = encoded.mode();
        if (mean.length != plan.channels() * latentPlane) {
            throw new GenAiException(model.folder().vaeEncoder() + " returned latents of " + mean.length
                    + " values for a " + plan.width() + "×" + plan.height() + " image; expected "
                    + plan.channels() * latentPlane);
        }
        float scaling = (float) model.folder().scalingFactor();
        maskedLatents = new float[mean.length];
        for (int i = 0; i < mean.length; i++) {
            maskedLatents[i] = scaling * mean[i];
        }
        float sigma = (float) plan.scheduler().initNoiseSigma();
        for (int i = 0; i < latents.length; i++) {
            latents[i] *= sigma;
        }
        return latents;
    }

    @Override
    public DenoiseHook hook() {
        return new DenoiseHook() {
            @Override
            public float[] unetInput(float[] scaledInput, int unetBatch, int step, double timestep) {
                return concatenate(scaledInput, unetBatch);
            }
        };
    }

    /** Sets the latent mask and masked-image latents of a 1×1 latent, for tests of the input layout. */
    void setUpForTest(float[] latentMask, float[] latents) {
        mask = latentMask;
        maskedLatents = latents;
        latentPlane = latentMask.length;
    }

    /** np.concatenate([latents, mask, masked_image_latents], axis=1) for each image of the UNet batch. */
    float[] concatenate(float[] scaled, int unetBatch) {
        int latentChannels = maskedLatents.length / latentPlane;
        int perImage = latentChannels * latentPlane;
        int perSample = perImage + latentPlane + maskedLatents.length;
        float[] out = new float[unetBatch * perSample];
        for (int b = 0; b < unetBatch; b++) {
            int at = b * perSample;
            System.arraycopy(scaled, b * perImage, out, at, perImage);
            System.arraycopy(mask, 0, out, at + perImage, latentPlane);
            System.arraycopy(maskedLatents, 0, out, at + perImage + latentPlane, maskedLatents.length);
        }
        return out;
    }

    @Override
    public boolean feedsInpaintingUnet() {
        return true;
    }

    @Override
    public boolean usesStrength() {
        return false;
    }

    @Override
    public void describe(Map<String, String> parameters) {
        parameters.put("inpaint", "inpainting UNet");
        if (image.source() != null) {
            parameters.put("init", image.source());
        }
    }
}
