package org.ijgenai.core.diffusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.network.Unet;
import org.ijgenai.core.image.PilFilter;
import org.ijgenai.core.image.PilResampler;
import org.ijgenai.core.image.RgbImage;

/**
 * One inpainting (Generative Fill) or outpainting run as every front end runs it: masks from the selection (grow,
 * feather, blend), the region the model sees (the selection's box expanded to the generation aspect, or the whole
 * image), a {@link GenerationJob} with the latent start the model calls for (an inpainting UNet's, or latent-mask
 * inpainting for a 4-channel UNet), and the result pasted back over the original with the composite mask. The
 * request's size, when set, is the size the model generates at.
 *
 * <p>Built with {@code set…} for what is required and {@code opt…} for the rest, then {@link #run()}.
 */
public final class InpaintJob extends JobBuilder<InpaintJob> {

    /**
     * The outcome.
     *
     * @param images the results, one per image of the batch, at the original size (composite on) or the generated
     *     size (composite off)
     * @param generation the generation that ran, or null when strength 0 left the image as it was
     * @param parameters the parameters of the run, with the mask settings
     * @param region the part of the image that was generated (the whole image in "whole" context)
     * @param masks the masks made from the selection
     */
    public record Result(List<RgbImage> images, GenerationJob.Result generation, Map<String, String> parameters,
            CropRegion region, SelectionMasks masks) {}

    private RgbImage image;
    private float[] selection;
    private String source;
    private InpaintSettings settings = InpaintSettings.defaults();
    private GenerationJob.StepRecording recording = GenerationJob.StepRecording.NONE;
    private Function<StableDiffusionModel, Unet> unet;
    private Function<StableDiffusionModel, StepListener> stepListener;

    /** The image and the selection to repaint, in [0, 1] at the image's size (1 = repaint). */
    public InpaintJob setImage(RgbImage rgb, float[] mask) {
        this.image = rgb;
        this.selection = mask;
        return this;
    }

    /** Where the image came from, recorded with the result. */
    public InpaintJob optSource(String name) {
        this.source = name;
        return this;
    }

    /** Mask, context and compositing settings. */
    public InpaintJob optSettings(InpaintSettings mask) {
        this.settings = mask;
        return this;
    }

    /** Whether and how to keep every denoising step (at the generated size). */
    public InpaintJob optStepRecording(GenerationJob.StepRecording how) {
        this.recording = how;
        return this;
    }

    /** A UNet to evaluate instead of the model's own (a capturing copy), as {@link GenerationJob#optUnet}. */
    public InpaintJob optUnet(Function<StableDiffusionModel, Unet> factory) {
        this.unet = factory;
        return this;
    }

    /** A listener on every step besides the recording, as {@link GenerationJob#optStepListener}. */
    public InpaintJob optStepListener(Function<StableDiffusionModel, StepListener> factory) {
        this.stepListener = factory;
        return this;
    }

    /**
     * Runs the fill.
     *
     * @throws GenAiException for an empty mask, a mask covering everything, options a model does not take, or a
     *     failing network
     */
    public Result run() {
        GenerationRequest request = request();
        if (model() == null || request == null || image == null || selection == null) {
            throw new IllegalStateException("an inpaint job needs setModel, setRequest and setImage");
        }
        int w = image.width();
        int h = image.height();
        if (selection.length != w * h) {
            throw new GenAiException("the mask has " + selection.length + " pixels but the image is " + w + "×" + h
                    + " (" + (w * h) + " pixels); give a mask of the image's size");
        }
        SelectionMasks masks = SelectionMasks.of(selection, w, h, settings.grow(), settings.feather(),
                settings.blend());
        checkCoverage(masks);
        Map<String, String> parameters = new LinkedHashMap<>();
        settings.describe(parameters);
        if (settings.strength() == 0) {
            warnings().accept("strength 0: nothing is repainted; the image is returned unchanged");
            List<RgbImage> same = new ArrayList<>();
            for (int b = 0; b < request.batchSize(); b++) {
                same.add(new RgbImage(w, h, image.rgb().clone()));
            }
            parameters.put("strength", "0.0");
            return new Result(same, null, parameters, new CropRegion(0, 0, w, h), masks);
        }
        GenerationRequest asked = request.withStrength(settings.strength());
        boolean onlyMasked = settings.context() == InpaintSettings.Context.MASKED;
        MaskedContent content = settings.maskedContent();
        double strength = settings.strength();
        // The region depends on the generation size, which in "masked" context defaults to the model's native
        // size: it is settled once the job has opened the model, from that same folder, not from a second lookup.
        CropRegion[] region = new CropRegion[1];
        GenerationJob job = passOptions(new GenerationJob(), progress()).setRequest(asked).optStepRecording(recording)
                .optLatentStart(sd -> {
                    int[] size = onlyMasked ? generationSize(asked, sd.folder()) : null;
                    region[0] = onlyMasked ? CropRegion.ofMask(masks.denoise(), w, h, settings.padding())
                            .expandTo(size[0], size[1], w, h) : new CropRegion(0, 0, w, h);
                    InpaintImage input = new InpaintImage(
                            new RgbImage(region[0].width(), region[0].height(), region[0].cropRgb(image.rgb(), w)),
                            SelectionMasks.toGrey(region[0].crop(masks.denoise(), w)), source);
                    LatentStart start;
                    if (!sd.unet().isInpainting()) {
                        start = new LatentMaskInpaint(input, content);
                    } else if (strength < 1 || content != MaskedContent.ORIGINAL) {
                        throw new GenAiException(sd.folder().name() + " is an inpainting model (9-channel UNet),"
                                + " which always starts from noise: strength and masked content apply to"
                                + " 4-channel models only; leave strength at 1 and masked content at original");
                    } else {
                        start = new InpaintUnetLatents(input);
                    }
                    return size == null ? start : new AtSize(start, size);
                });
        if (unet != null) {
            job.optUnet(unet);
        }
        if (stepListener != null) {
            job.optStepListener(stepListener);
        }
        GenerationJob.Result generated = job.run();
        if (onlyMasked) {
            parameters.put("region", region[0].x1() + "," + region[0].y1() + "," + region[0].x2() + ","
                    + region[0].y2());
        }
        GeneratedImages out = generated.images();
        parameters.putAll(generated.parameters());
        settings.describe(parameters);
        List<RgbImage> images = new ArrayList<>();
        for (int b = 0; b < out.count(); b++) {
            RgbImage raw = toRgbImage(out.rgb(b), out.width(), out.height());
            images.add(settings.composite() ? composite(raw, region[0], masks) : raw);
        }
        return new Result(images, generated, parameters, region[0], masks);
    }

    private void checkCoverage(SelectionMasks masks) {
        boolean any = false;
        boolean all = true;
        for (float v : masks.grown()) {
            any |= v > 0f;
            all &= v >= 1f;
        }
        if (!any) {
            throw new GenAiException("the mask is empty: nothing to repaint (white or a selection marks the region"
                    + " to fill)");
        }
        if (all) {
            throw new GenAiException("the mask covers the whole image, so nothing of it would be kept: use Text to"
                    + " Image to make a new picture, or Image to Image to redraw all of it");
        }
    }

    /** The request's size, or the model's native size, for "only masked" context. */
    private static int[] generationSize(GenerationRequest asked, ModelFolder folder) {
        return new int[] {asked.width() > 0 ? asked.width() : folder.nativeWidth(),
                asked.height() > 0 ? asked.height() : folder.nativeHeight()};
    }

    /**
     * A latent start that generates at a size fixed beforehand (the generation size of "only masked" context)
     * rather than at its cropped image's own size.
     */
    private static final class AtSize implements LatentStart {
        private final LatentStart inner;
        private final int[] size;

        AtSize(LatentStart inner, int[] size) {
            this.inner = inner;
            this.size = size;
        }

        @Override
        public int[] size(GenerationRequest request, ModelFolder folder) {
            return size.clone();
        }

        @Override
        public int firstStep(GenerationRequest request, double[] timesteps) {
            return inner.firstStep(request, timesteps);
        }

        @Override
        public int preparationUnits() {
            return inner.preparationUnits();
        }

        @Override
        public float[] prepare(DenoisingPlan plan, StableDiffusionModel model, Consumer<String> progress) {
            return inner.prepare(plan, model, progress);
        }

        @Override
        public DenoiseHook hook() {
            return inner.hook();
        }

        @Override
        public boolean feedsInpaintingUnet() {
            return inner.feedsInpaintingUnet();
        }

        @Override
        public boolean usesStrength() {
            return inner.usesStrength();
        }

        @Override
        public void describe(Map<String, String> parameters) {
            inner.describe(parameters);
        }
    }

    /**
     * The original with the generated region pasted over it: the generated pixels are resized back to the
     * region's size (Lanczos, as A1111 does) and mixed in with the composite mask's weight, so where the weight is
     * 0 the original pixel is kept exactly.
     */
    RgbImage composite(RgbImage generated, CropRegion region, SelectionMasks masks) {
        RgbImage fitted = generated.width() == region.width() && generated.height() == region.height() ? generated
                : PilResampler.resize(generated, region.width(), region.height(), PilFilter.LANCZOS);
        int w = image.width();
        byte[] out = image.rgb().clone();
        byte[] gen = fitted.rgb();
        float[] weight = masks.composite();
        for (int y = 0; y < region.height(); y++) {
            for (int x = 0; x < region.width(); x++) {
                int i = (region.y1() + y) * w + region.x1() + x;
                float c = weight[i];
                if (c <= 0f) {
                    continue;
                }
                int g = (y * region.width() + x) * 3;
                for (int ch = 0; ch < 3; ch++) {
                    int o = out[i * 3 + ch] & 0xFF;
                    int v = c >= 1f ? gen[g + ch] & 0xFF : Math.round(o + ((gen[g + ch] & 0xFF) - o) * c);
                    out[i * 3 + ch] = (byte) v;
                }
            }
        }
        return new RgbImage(w, image.height(), out);
    }

    /** Packed 0xRRGGBB pixels as an RGB image. */
    static RgbImage toRgbImage(int[] packed, int width, int height) {
        byte[] rgb = new byte[packed.length * 3];
        for (int i = 0; i < packed.length; i++) {
            rgb[i * 3] = (byte) (packed[i] >> 16);
            rgb[i * 3 + 1] = (byte) (packed[i] >> 8);
            rgb[i * 3 + 2] = (byte) packed[i];
        }
        return new RgbImage(width, height, rgb);
    }
}
