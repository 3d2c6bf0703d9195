package org.ijgenai.core.diffusion;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link StepListener} that keeps, for every UNet evaluation, the current latents and the predicted clean image
 * x̂0 as RGB frames, either exactly (a VAE decode each) or through the model's fitted {@link LatentPreview}
 * (upscaled 8× so both kinds have the image's size). A batch is laid out side by side in each frame.
 */
public final class StepRecorder implements StepListener {

    private final StableDiffusionPipeline pipeline;
    private final LatentPreview preview;
    private final List<String> labels = new ArrayList<>();
    private final List<int[]> latentFrames = new ArrayList<>();
    private final List<int[]> originalFrames = new ArrayList<>();
    private int frameWidth;
    private int frameHeight;

    /**
     * Creates a recorder.
     *
     * @param preview the cheap preview to use, or null to decode every step with the VAE
     */
    public StepRecorder(StableDiffusionPipeline pipeline, LatentPreview preview) {
        this.pipeline = pipeline;
        this.preview = preview;
    }

    @Override
    public void onStep(StepSnapshot s) {
        labels.add(s.label());
        latentFrames.add(frame(s, s.latents()));
        originalFrames.add(frame(s, s.predictedOriginal()));
    }

    /** Packs at once: a long run at full size would otherwise hold three floats per pixel per frame. */
    private int[] frame(StepSnapshot s, float[] latents) {
        int w = s.width() * 8;
        int h = s.height() * 8;
        frameWidth = w * s.batch();
        frameHeight = h;
        float[] out = new float[3 * frameWidth * frameHeight];
        for (int b = 0; b < s.batch(); b++) {
            float[] rgb;
            if (preview != null) {
                int size = s.channels() * s.height() * s.width();
                float[] one = java.util.Arrays.copyOfRange(latents, b * size, (b + 1) * size);
                rgb = upscale(preview.toRgb(one, s.height(), s.width()), s.width(), s.height(), 8);
            } else {
                rgb = pipeline.decode(latents, b, s.channels(), s.height(), s.width());
            }
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(rgb, (c * h + y) * w, out, (c * frameHeight + y) * frameWidth + b * w, w);
                }
            }
        }
        return GeneratedImages.toRgb(out, frameWidth, frameHeight);
    }

    private static float[] upscale(float[] planar, int w, int h, int factor) {
        int ow = w * factor;
        int oh = h * factor;
        float[] out = new float[3 * ow * oh];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    out[(c * oh + y) * ow + x] = planar[(c * h + y / factor) * w + x / factor];
                }
            }
        }
        return out;
    }

    /** The slice labels, one per UNet evaluation ("step 3/11 · t=701"). */
    public List<String> labels() {
        return Collections.unmodifiableList(labels);
    }

    /** The current latents after each evaluation, as packed 0xRRGGBB frames. */
    public List<int[]> latentFrames() {
        return Collections.unmodifiableList(latentFrames);
    }

    /** The predicted clean image x̂0 at each evaluation, as packed 0xRRGGBB frames. */
    public List<int[]> predictedOriginalFrames() {
        return Collections.unmodifiableList(originalFrames);
    }

    /** The frame width (image width × batch). */
    public int frameWidth() {
        return frameWidth;
    }

    /** The frame height. */
    public int frameHeight() {
        return frameHeight;
    }
}
