package org.ijgenai.core.attention;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.CropRegion;
import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.diffusion.InitImage;
import org.ijgenai.core.diffusion.InpaintJob;
import org.ijgenai.core.diffusion.InpaintSettings;
import org.ijgenai.core.diffusion.JobBuilder;
import org.ijgenai.core.diffusion.StableDiffusionModel;
import org.ijgenai.core.diffusion.StepSnapshot;
import org.ijgenai.core.diffusion.network.Unet;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.onnx.AttentionGraph;
import org.ijgenai.core.text.ClipTokenizer;

/**
 * One generation (txt2img, img2img or inpainting) with its cross-attention captured at every step and aggregated
 * per prompt word as DAAM does, as the Attention Maps command and {@code ij-genai attention} run it: a
 * {@link GenerationJob} (or an {@link InpaintJob}, which runs one) whose UNet is a capturing copy of the model's
 * ({@link Unet#loadCapturing}) and whose step listener is a {@link CrossAttentionRecorder}. The request's first
 * prompt's first image is the one analysed.
 *
 * <p>Built with {@code set…} for what is required and {@code opt…} for the rest, then {@link #run()}.
 */
public final class AttentionMapsJob extends JobBuilder<AttentionMapsJob> {

    /**
     * The outcome.
     *
     * @param generation the generation itself (images, parameters)
     * @param parameters the run's parameters: the generation's, or the inpainting's with its mask settings
     * @param picture the image the maps lie on, packed 0xRRGGBB, width × height: the generated image, or for
     *     inpainting the filled image (composited over the original unless compositing is off)
     * @param width the picture's (and the maps') width
     * @param height the picture's height
     * @param words the prompt's words and their token positions
     * @param steps the recorded attention, step by step
     * @param wordMaps per word, the heat map over the selected steps at the picture's size (absolute, not rescaled;
     *     0 outside the region an inpainting run generated)
     * @param stepWordMaps per step, per word, the heat map of that step alone at the picture's size
     * @param latentHeight the latent grid the maps were aggregated on
     */
    public record Result(GenerationJob.Result generation, Map<String, String> parameters, int[] picture, int width,
            int height, List<PromptWords.Word> words, List<AttentionStep> steps, List<float[]> wordMaps,
            List<List<float[]>> stepWordMaps, int latentHeight, int latentWidth) {

        /** A slice label such as {@code "circle" · step 7/20 · t=683}. */
        public String label(int word, int step) {
            AttentionStep s = steps.get(step);
            return "\"" + words.get(word).text() + "\" · " + StepSnapshot.label(s.index(), s.total(), s.timestep());
        }
    }

    /**
     * Where the maps go on the picture: the generated latent grid's maps are upsampled to the region's size and
     * placed at its corner of a canvas of the picture's size (the whole canvas but for "only masked" inpainting).
     */
    private record Placement(int canvasWidth, int canvasHeight, int x, int y, int width, int height) {

        float[] place(float[] latentMap, int latentHeight, int latentWidth) {
            float[] up = DaamHeatMaps.expand(latentMap, latentHeight, latentWidth, height, width);
            if (width == canvasWidth && height == canvasHeight) {
                return up;
            }
            float[] out = new float[canvasWidth * canvasHeight];
            for (int row = 0; row < height; row++) {
                System.arraycopy(up, row * width, out, (y + row) * canvasWidth + x, width);
            }
            return out;
        }
    }

    /** An inpainting run to analyse: the image, its selection in [0, 1] and how it is filled. */
    private record Inpainting(RgbImage image, float[] selection, InpaintSettings settings, String source) {}

    private InitImage init;
    private Inpainting inpainting;
    private DaamHeatMaps.Selection selection = DaamHeatMaps.Selection.ALL;
    private AttentionGraph.Reduction reduction = AttentionGraph.Reduction.HEAD_MEAN;

    /** img2img from this init image (txt2img when null). */
    public AttentionMapsJob optInitImage(InitImage image) {
        this.init = image;
        return this;
    }

    /**
     * Inpainting (Generative Fill) of {@code selection} (in [0, 1] at the image's size, 1 = repaint) as
     * {@link InpaintJob} runs it with {@code settings}; the maps then lie on the filled image.
     */
    public AttentionMapsJob optInpaint(RgbImage image, float[] selection, InpaintSettings settings, String source) {
        this.inpainting = new Inpainting(image, selection, settings, source);
        return this;
    }

    /** Which steps and layers the word maps aggregate, and whether they are normalised across words. */
    public AttentionMapsJob optSelection(DaamHeatMaps.Selection chosen) {
        this.selection = chosen;
        return this;
    }

    /**
     * Whether the graph averages the heads before returning them (the default: heads× less memory) or returns
     * every head (DAAM's exact per-head clamping).
     */
    public AttentionMapsJob optReduction(AttentionGraph.Reduction how) {
        this.reduction = how;
        return this;
    }

    /**
     * Runs the generation with capture and aggregates the maps.
     *
     * @throws GenAiException when the model cannot be found or opened, its attention cannot be captured ("cannot
     *     capture: fused attention ops …"), or a network fails
     */
    public Result run() {
        if (model() == null || request() == null) {
            throw new IllegalStateException("an attention maps job needs setModel and setRequest");
        }
        if (init != null && inpainting != null) {
            throw new IllegalStateException("an attention maps job is img2img or inpainting, not both");
        }
        CrossAttentionRecorder recorder = new CrossAttentionRecorder();
        ClipTokenizer[] tokenizer = new ClipTokenizer[1];
        // The same capture hook for every kind of run: a capturing copy of the UNet and the recorder on each step.
        Function<StableDiffusionModel, Unet> capturing = sd -> {
            tokenizer[0] = sd.tokenizer();
            return Unet.loadCapturing(sd.folder().unet(), sd.settings(), reduction, recorder);
        };
        GenerationJob.Result generation;
        Map<String, String> parameters;
        int[] picture;
        Placement placement;
        if (inpainting == null) {
            generation = passOptions(new GenerationJob(), progress()).setRequest(request()).optInitImage(init)
                    .optUnet(capturing).optStepListener(sd -> recorder).run();
            parameters = generation.parameters();
            picture = generation.images().rgb(0);
            int w = generation.images().width();
            int h = generation.images().height();
            placement = new Placement(w, h, 0, 0, w, h);
        } else {
            InpaintJob.Result filled = passOptions(new InpaintJob(), progress()).setRequest(request())
                    .setImage(inpainting.image(), inpainting.selection()).optSource(inpainting.source())
                    .optSettings(inpainting.settings()).optUnet(capturing).optStepListener(sd -> recorder).run();
            if (filled.generation() == null) {
                throw new GenAiException("strength 0 runs no denoising step, so there is no attention to map;"
                        + " raise the strength");
            }
            generation = filled.generation();
            parameters = filled.parameters();
            RgbImage first = filled.images().get(0);
            picture = first.packed();
            CropRegion region = filled.region();
            placement = inpainting.settings().composite()
                    ? new Placement(first.width(), first.height(), region.x1(), region.y1(), region.width(),
                            region.height())
                    : new Placement(first.width(), first.height(), 0, 0, first.width(), first.height());
        }
        List<AttentionStep> steps = recorder.steps();
        int latentHeight = generation.images().height() / 8;
        int latentWidth = generation.images().width() / 8;
        PromptWords words = PromptWords.of(tokenizer[0], generation.images().request().prompts().get(0));
        if (words.words().isEmpty()) {
            throw new GenAiException("the prompt has no words to map");
        }
        List<float[]> wordMaps = wordMaps(steps, words, latentHeight, latentWidth, placement, selection);
        List<List<float[]>> perStep = new ArrayList<>();
        for (AttentionStep step : steps) {
            cancel().throwIfCancelled();
            perStep.add(wordMaps(steps, words, latentHeight, latentWidth, placement,
                    selection.onlyStep(step.index())));
        }
        return new Result(generation, Collections.unmodifiableMap(new LinkedHashMap<>(parameters)), picture,
                placement.canvasWidth(), placement.canvasHeight(), words.words(), steps,
                Collections.unmodifiableList(wordMaps), Collections.unmodifiableList(perStep), latentHeight,
                latentWidth);
    }

    private static List<float[]> wordMaps(List<AttentionStep> steps, PromptWords words, int latentHeight,
            int latentWidth, Placement placement, DaamHeatMaps.Selection selection) {
        float[][] tokens = DaamHeatMaps.tokenMaps(steps, 0, latentHeight, latentWidth, words.promptTokens(),
                selection);
        List<float[]> maps = new ArrayList<>();
        for (PromptWords.Word word : words.words()) {
            maps.add(placement.place(DaamHeatMaps.wordMap(tokens, word.positions()), latentHeight, latentWidth));
        }
        return maps;
    }

    /** The steps of a selection as given on a command line or in a dialog ("" or "all" for every step, "1-5,9"). */
    public static Set<Integer> parseSteps(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("all")) {
            return Set.of();
        }
        java.util.TreeSet<Integer> steps = new java.util.TreeSet<>();
        for (String part : trimmed.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
                if (from < 1 || to < from) {
                    throw new IllegalArgumentException("steps: '" + p + "' is not a step or a range a-b of steps ≥ 1");
                }
                for (int s = from; s <= to; s++) {
                    steps.add(s);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("steps: '" + p + "' is not a step number or range such as 1-5");
            }
        }
        return Collections.unmodifiableSet(steps);
    }
}
