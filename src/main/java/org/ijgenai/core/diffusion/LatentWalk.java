package org.ijgenai.core.diffusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.ijgenai.core.GenAiException;

/**
 * A latent walk as every front end runs it (Latent Walk..., {@code bin/ij-genai walk}): keyframes of seeds, of
 * prompts, or of both in step, and N frames per segment from each keyframe towards the next, then the last
 * keyframe. Between seeds the initial noise is slerped ({@link SeedWalk}); between prompts the conditional text
 * embeddings are interpolated linearly ({@link PromptBlend}); a walk over prompts alone keeps one seed, a walk over
 * seeds alone one prompt. Every frame is one txt2img through {@link GenerationJob}, and a keyframe is exactly the
 * plain generation of its seed and prompt. The request is the walk's base (steps, guidance, scheduler, size,
 * negative prompt…): its prompt is the walk's when no prompts are given, its seed the walk's when no seeds are
 * (−1 draws one for the whole walk).
 *
 * <p>Built with {@code set…} for what is required and {@code opt…} for the rest, then {@link #frames()} to see the
 * plan or {@link #run()} to make it.
 */
public final class LatentWalk extends SweepBuilder<LatentWalk> {

    /** The most frames one walk may have, so that a typo cannot start hours of work. */
    public static final int MAX_FRAMES = 1000;
    /** The default number of frames per segment. */
    public static final int DEFAULT_FRAMES = 8;

    /**
     * One frame of the walk.
     *
     * @param index the frame's position in the walk, from 0
     * @param seed the initial noise: from seed a towards seed b at the frame's position
     * @param prompt the prompt's embeddings: from one prompt towards the next at the frame's position
     * @param segment the keyframe this frame starts from, from 0
     * @param label the slice label: "seed 3→8 t=0.250", "prompt 1→2 t=0.250", "seed 3 · prompt 1", …
     */
    public record Frame(int index, SeedWalk seed, PromptBlend prompt, int segment, String label) {

        /** The position between the two keyframes, in [0, 1); 0 at a keyframe. */
        public double position() {
            return Math.max(seed.position(), prompt.position());
        }

        /** The request of this frame: the walk's base request with the keyframe's seed and prompt. */
        public GenerationRequest request(GenerationRequest base) {
            return base.withSeed(seed.from()).withPrompts(List.of(prompt.from()));
        }
    }

    /**
     * One generated frame.
     *
     * @param frame what it is
     * @param rgb its pixels, packed 0xRRGGBB
     * @param parameters everything that made it, the walk's position included
     */
    public record FrameImage(Frame frame, int[] rgb, int width, int height, Map<String, String> parameters,
            double seconds) {}

    /**
     * The walk's outcome.
     *
     * @param frames every frame, in order
     * @param parameters the walk's own parameters: the shared ones, and the keyframes in place of one seed/prompt
     */
    public record Result(List<FrameImage> frames, Map<String, String> parameters) {}

    private List<Long> seeds = List.of();
    private List<String> prompts = List.of();
    private int framesPerSegment = DEFAULT_FRAMES;
    private Consumer<FrameImage> frameListener = f -> {};

    /** The seed keyframes; none or one keeps the seed fixed. */
    public LatentWalk optSeeds(List<Long> keyframes) {
        this.seeds = List.copyOf(keyframes);
        return this;
    }

    /** The prompt keyframes; none or one keeps the prompt fixed. */
    public LatentWalk optPrompts(List<String> keyframes) {
        this.prompts = List.copyOf(keyframes);
        return this;
    }

    /** Frames from each keyframe towards the next (the last keyframe is one more frame). */
    public LatentWalk optFramesPerSegment(int count) {
        this.framesPerSegment = count;
        return this;
    }

    /** Called with each frame as soon as it is made (to show it while the walk goes on). */
    public LatentWalk optFrameListener(Consumer<FrameImage> listener) {
        this.frameListener = listener;
        return this;
    }

    /**
     * The prompt keyframes written in one line, as the Latent Walk dialog takes them: prompts separated by
     * {@code |}. A {@code |} inside brackets belongs to the prompt (A1111's alternation {@code [cat|dog]}), so
     * prompts copied from the web keep it; each prompt is stripped of the spaces around it.
     *
     * @return one prompt when the text has no separator
     */
    public static List<String> splitPrompts(String text) {
        List<String> prompts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(' || c == '[') {
                depth++;
            } else if ((c == ')' || c == ']') && depth > 0) {
                depth--;
            } else if (c == '|' && depth == 0) {
                prompts.add(text.substring(start, i).strip());
                start = i + 1;
            }
        }
        prompts.add(text.substring(start).strip());
        return prompts;
    }

    /**
     * The frames the walk will make, with the base request's seed resolved once when it is −1.
     *
     * @throws GenAiException when nothing varies, the keyframe lists differ in length, or there are too many frames
     */
    public List<Frame> frames() {
        GenerationRequest request = request();
        if (request == null) {
            throw new IllegalStateException("a latent walk needs setRequest");
        }
        if (request.imagesPerPrompt() != 1 || (prompts.isEmpty() && request.prompts().size() != 1)) {
            throw new GenAiException("a walk makes one image per frame: give one prompt per keyframe and a batch of 1");
        }
        if (framesPerSegment < 1) {
            throw new GenAiException("frames per segment must be at least 1, was " + framesPerSegment);
        }
        if (request.seed() < 0 && seeds.size() < 2) {
            // Kept, so that run() makes the frames of the seed that frames() showed.
            request = request.withResolvedSeed();
            setRequest(request);
        }
        List<Long> seedKeys = seeds.isEmpty() ? List.of(request.seed()) : seeds;
        List<String> promptKeys = prompts.isEmpty() ? request.prompts() : prompts;
        int keys = Math.max(seedKeys.size(), promptKeys.size());
        if (keys < 2) {
            throw new GenAiException("a walk needs two or more seeds or two or more prompts to walk between");
        }
        if (seedKeys.size() > 1 && promptKeys.size() > 1 && seedKeys.size() != promptKeys.size()) {
            throw new GenAiException("a walk over seeds and prompts together needs as many seeds as prompts (one"
                    + " keyframe each), got " + seedKeys.size() + " seeds and " + promptKeys.size() + " prompts");
        }
        for (long s : seedKeys) {
            if (s < 0 || s > GenerationRequest.MAX_SEED) {
                throw new GenAiException("walk seed " + s + " is outside [0, " + GenerationRequest.MAX_SEED + "]");
            }
        }
        for (String p : promptKeys) {
            if (p == null || p.isBlank()) {
                throw new GenAiException("a walk prompt is empty: describe the image of each keyframe");
            }
        }
        long total = (long) (keys - 1) * framesPerSegment + 1;
        if (total > MAX_FRAMES) {
            throw new GenAiException("the walk has " + total + " frames (" + (keys - 1) + " segments × "
                    + framesPerSegment + " + 1); the limit is " + MAX_FRAMES + " (each frame is one generation)");
        }
        boolean seedsMove = seedKeys.size() > 1;
        boolean promptsMove = promptKeys.size() > 1;
        List<Frame> frames = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            boolean last = k == keys - 1;
            for (int f = 0; f < (last ? 1 : framesPerSegment); f++) {
                double t = (double) f / framesPerSegment;
                long seedA = seedKeys.get(seedsMove ? k : 0);
                long seedB = seedsMove && !last ? seedKeys.get(k + 1) : seedA;
                String promptA = promptKeys.get(promptsMove ? k : 0);
                String promptB = promptsMove && !last ? promptKeys.get(k + 1) : promptA;
                SeedWalk seed = new SeedWalk(seedA, seedB, seedsMove ? t : 0);
                PromptBlend prompt = new PromptBlend(promptA, promptB, promptsMove ? t : 0);
                frames.add(new Frame(frames.size(), seed, prompt, k, label(seedsMove, promptsMove, seedA, seedB, k,
                        t)));
            }
        }
        return frames;
    }

    private static String label(boolean seedsMove, boolean promptsMove, long seedA, long seedB, int key, double t) {
        List<String> parts = new ArrayList<>();
        if (seedsMove) {
            parts.add(t == 0 ? "seed " + seedA : "seed " + seedA + "→" + seedB);
        }
        if (promptsMove) {
            parts.add(t == 0 ? "prompt " + (key + 1) : "prompt " + (key + 1) + "→" + (key + 2));
        }
        String label = String.join(" · ", parts);
        return t == 0 ? label : label + String.format(Locale.ROOT, " t=%.3f", t);
    }

    /**
     * Makes every frame.
     *
     * @throws GenAiException for a bad walk (see {@link #frames()}) or a failing generation
     * @throws org.ijgenai.core.progress.CancelledException when cancelled
     */
    public Result run() {
        if (model() == null) {
            throw new IllegalStateException("a latent walk needs setModel");
        }
        List<Frame> frames = frames();
        List<FrameImage> images = new ArrayList<>(frames.size());
        Map<String, String> parameters = null;
        for (Frame frame : frames) {
            cancel().throwIfCancelled();
            progress().progress(frame.index(), frames.size(), "frame " + (frame.index() + 1) + "/" + frames.size()
                    + ": " + frame.label());
            PromptBlend blend = frame.prompt();
            GenerationJob job = passOptions(new GenerationJob()).setRequest(frame.request(request()));
            // A keyframe runs the plain generation, so that it is exactly the picture of its seed and prompt.
            if (frame.seed().position() > 0) {
                job.optLatentStart(sd -> frame.seed());
            }
            if (blend.position() > 0) {
                job.optPromptEncoding(blend::over);
            }
            GenerationJob.Result result = job.run();
            GeneratedImages generated = result.images();
            Map<String, String> own = new LinkedHashMap<>(result.parameters());
            frame.seed().describe(own);
            blend.describe(own);
            own.put("walk_frame", (frame.index() + 1) + "/" + frames.size() + ": " + frame.label());
            if (parameters == null) {
                parameters = walkParameters(result.parameters());
            }
            FrameImage image = new FrameImage(frame, generated.rgb(0), generated.width(), generated.height(), own,
                    generated.seconds());
            images.add(image);
            frameListener.accept(image);
        }
        progress().progress(frames.size(), frames.size(), "walk done");
        return new Result(images, parameters);
    }

    /** The first frame's parameters with the keyframes in place of its one seed and prompt where those move. */
    private Map<String, String> walkParameters(Map<String, String> first) {
        Map<String, String> p = new LinkedHashMap<>(first);
        List<String> how = new ArrayList<>();
        if (seeds.size() > 1) {
            p.remove("seed");
            List<String> list = new ArrayList<>();
            seeds.forEach(s -> list.add(Long.toString(s)));
            how.add("slerp of the initial noise through seeds " + String.join(",", list));
            p.put("walk_seeds", String.join(",", list));
        }
        if (prompts.size() > 1) {
            p.remove("prompt");
            how.add("lerp of the text embeddings through " + prompts.size() + " prompts");
            for (int i = 0; i < prompts.size(); i++) {
                p.put("walk_prompt" + (i + 1), prompts.get(i));
            }
        }
        p.put("walk", String.join("; ", how) + ", " + framesPerSegment + " frames per segment");
        return p;
    }
}
