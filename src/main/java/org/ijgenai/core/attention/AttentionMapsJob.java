package org.ijgenai.core.attention;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.GenerationJob;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.InitImage;
import org.ijgenai.core.diffusion.StepSnapshot;
import org.ijgenai.core.diffusion.network.Unet;
import org.ijgenai.core.onnx.AttentionGraph;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.text.ClipTokenizer;

/**
 * One generation with its cross-attention captured at every step and aggregated per prompt word as DAAM does,
 * as the Attention Maps command and {@code ij-genai attention} run it: a {@link GenerationJob} whose UNet is a
 * capturing copy of the model's ({@link Unet#loadCapturing}) and whose step listener is a
 * {@link CrossAttentionRecorder}.
 *
 * <p>Built with {@code set…} for what is required and {@code opt…} for the rest, then {@link #run()}.
 */
public final class AttentionMapsJob {

    /**
     * The outcome.
     *
     * @param generation the generation itself (images, parameters)
     * @param words the prompt's words and their token positions
     * @param steps the recorded attention, step by step
     * @param wordMaps per word, the heat map over the selected steps at the image's size (absolute, not rescaled)
     * @param stepWordMaps per step, per word, the heat map of that step alone at the image's size
     * @param latentHeight the latent grid the maps were aggregated on
     */
    public record Result(GenerationJob.Result generation, List<PromptWords.Word> words, List<AttentionStep> steps,
            List<float[]> wordMaps, List<List<float[]>> stepWordMaps, int latentHeight, int latentWidth) {

        /** The generated image's width (the maps' width). */
        public int width() {
            return generation.images().width();
        }

        /** The generated image's height. */
        public int height() {
            return generation.images().height();
        }

        /** A slice label such as {@code "circle" · step 7/20 · t=683}. */
        public String label(int word, int step) {
            AttentionStep s = steps.get(step);
            return "\"" + words.get(word).text() + "\" · " + StepSnapshot.label(s.index(), s.total(), s.timestep());
        }
    }

    private String model;
    private GenerationRequest request;
    private String userModelDir;
    private InitImage init;
    private String device = "auto";
    private int threads;
    private DaamHeatMaps.Selection selection = DaamHeatMaps.Selection.ALL;
    private AttentionGraph.Reduction reduction = AttentionGraph.Reduction.HEAD_MEAN;
    private ProgressListener progress = ProgressListener.NONE;
    private CancellationToken cancel = CancellationToken.NONE;

    /** The model: a folder, or a name that the catalogue resolves. */
    public AttentionMapsJob setModel(String nameOrFolder) {
        this.model = nameOrFolder;
        return this;
    }

    /** The generation; its first prompt's first image is the one analysed. */
    public AttentionMapsJob setRequest(GenerationRequest generation) {
        this.request = generation;
        return this;
    }

    /** The user's own models folder, or null. */
    public AttentionMapsJob optUserModelDir(String folder) {
        this.userModelDir = folder;
        return this;
    }

    /** img2img from this init image (txt2img when null). */
    public AttentionMapsJob optInitImage(InitImage image) {
        this.init = image;
        return this;
    }

    /** The execution device ("auto", "cpu", "gpu", "gpu:1"). */
    public AttentionMapsJob optDevice(String name) {
        this.device = name;
        return this;
    }

    /** ONNX Runtime's intra-op threads; 0 lets it choose. */
    public AttentionMapsJob optThreads(int count) {
        this.threads = count;
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

    /** Where progress goes. */
    public AttentionMapsJob optProgress(ProgressListener listener) {
        this.progress = listener;
        return this;
    }

    /** What cancels the run. */
    public AttentionMapsJob optCancel(CancellationToken token) {
        this.cancel = token;
        return this;
    }

    /**
     * Runs the generation with capture and aggregates the maps.
     *
     * @throws GenAiException when the model cannot be found or opened, its attention cannot be captured ("cannot
     *     capture: fused attention ops …"), or a network fails
     */
    public Result run() {
        if (model == null || request == null) {
            throw new IllegalStateException("an attention maps job needs setModel and setRequest");
        }
        CrossAttentionRecorder recorder = new CrossAttentionRecorder();
        ClipTokenizer[] tokenizer = new ClipTokenizer[1];
        GenerationJob.Result generation = new GenerationJob().setModel(model).setRequest(request)
                .optUserModelDir(userModelDir).optInitImage(init).optDevice(device).optThreads(threads)
                .optProgress(progress).optCancel(cancel)
                .optUnet(sd -> {
                    tokenizer[0] = sd.tokenizer();
                    return Unet.loadCapturing(sd.folder().unet(), sd.settings(), reduction, recorder);
                })
                .optStepListener(sd -> recorder)
                .run();
        List<AttentionStep> steps = recorder.steps();
        int width = generation.images().width();
        int height = generation.images().height();
        int latentHeight = height / 8;
        int latentWidth = width / 8;
        PromptWords words = PromptWords.of(tokenizer[0], generation.images().request().prompts().get(0));
        if (words.words().isEmpty()) {
            throw new GenAiException("the prompt has no words to map");
        }
        List<float[]> wordMaps = wordMaps(steps, words, latentHeight, latentWidth, width, height, selection);
        List<List<float[]>> perStep = new ArrayList<>();
        for (AttentionStep step : steps) {
            cancel.throwIfCancelled();
            perStep.add(wordMaps(steps, words, latentHeight, latentWidth, width, height,
                    selection.onlyStep(step.index())));
        }
        return new Result(generation, words.words(), steps, Collections.unmodifiableList(wordMaps),
                Collections.unmodifiableList(perStep), latentHeight, latentWidth);
    }

    private static List<float[]> wordMaps(List<AttentionStep> steps, PromptWords words, int latentHeight,
            int latentWidth, int width, int height, DaamHeatMaps.Selection selection) {
        float[][] tokens = DaamHeatMaps.tokenMaps(steps, 0, latentHeight, latentWidth, words.promptTokens(),
                selection);
        List<float[]> maps = new ArrayList<>();
        for (PromptWords.Word word : words.words()) {
            maps.add(DaamHeatMaps.expand(DaamHeatMaps.wordMap(tokens, word.positions()), latentHeight, latentWidth,
                    height, width));
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
