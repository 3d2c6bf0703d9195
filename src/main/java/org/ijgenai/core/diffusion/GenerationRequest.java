package org.ijgenai.core.diffusion;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.ijgenai.core.text.Emphasis;

/**
 * Everything that determines a Stable Diffusion generation, validated on construction, so that a result can be
 * reproduced from the parameters stored with it.
 *
 * @param prompts one or more prompts; a list is one batch drawn from one generator, as diffusers does. "" is a
 *     prompt like any other (encoded as the start and end tokens and padding, as diffusers encodes it: an
 *     unconditional image, or "remove this" in a fill); only a missing (null) prompt is refused
 * @param negativePrompt the negative prompt for every prompt, or null for none (used only under guidance). SD
 *     1.x/2.x encode none as ""; SDXL models with {@code force_zeros_for_empty_prompt} give none zero embeddings
 *     but encode an explicit "" like any text, as diffusers does
 * @param seed the numpy RandomState seed in [0, 2³²), or −1 to pick one at random ({@link #withResolvedSeed()})
 * @param steps the number of denoising steps (diffusers' num_inference_steps)
 * @param guidance the classifier-free guidance scale; ≤ 1 turns guidance off
 * @param scheduler a scheduler name (pndm, ddim, euler, euler_a, lms, dpmpp_2m, dpmpp_2m_karras, lcm), or null for
 *     the model's own
 * @param width the image width in pixels, or 0 for the model's native size (img2img takes the init image's)
 * @param height the image height in pixels, or 0 for the model's native size
 * @param imagesPerPrompt how many images to make for each prompt
 * @param strength for img2img, how much of the init image is re-noised, in (0, 1]
 * @param emphasis how {@code (word:1.3)} weights act on the text embeddings (A1111's "Original" by default)
 * @param prompt2 SDXL: the prompt for the second text encoder, for every prompt; null or "" for the prompt itself
 * @param negativePrompt2 SDXL: the negative prompt for the second text encoder; null or "" for the negative prompt
 * @param timestepSpacing leading, linspace or trailing, overriding the scheduler config's; null for the config's
 */
public record GenerationRequest(List<String> prompts, String negativePrompt, long seed, int steps, double guidance,
        String scheduler, int width, int height, int imagesPerPrompt, double strength, Emphasis emphasis,
        String prompt2, String negativePrompt2, String timestepSpacing) {

    /** The timestep spacings a request may ask for (diffusers' {@code timestep_spacing} values). */
    public static final List<String> TIMESTEP_SPACINGS = List.of("leading", "linspace", "trailing");

    /** diffusers' default step count is 50; 20 is enough for the fast schedulers people use with it. */
    public static final int DEFAULT_STEPS = 20;
    /** diffusers' default guidance scale. */
    public static final double DEFAULT_GUIDANCE = 7.5;
    /** The default img2img strength. */
    public static final double DEFAULT_STRENGTH = 0.75;
    /** numpy's RandomState takes seeds below 2³². */
    public static final long MAX_SEED = 0xFFFFFFFFL;
    /** The most images one request may make, to keep memory predictable. */
    public static final int MAX_BATCH = 64;

    /** Validates every parameter, naming it in the message. */
    public GenerationRequest {
        if (prompts == null || prompts.isEmpty()) {
            throw new IllegalArgumentException("no prompt: give at least one prompt (\"\" for none)");
        }
        for (String prompt : prompts) {
            if (prompt == null) {
                throw new IllegalArgumentException("a prompt is missing (null): give its text, or \"\" for none");
            }
        }
        prompts = List.copyOf(prompts);
        if (seed < -1 || seed > MAX_SEED) {
            throw new IllegalArgumentException("seed must be −1 (random) or in [0, " + MAX_SEED + "], was " + seed);
        }
        if (steps < 1 || steps > 1000) {
            throw new IllegalArgumentException("steps must be in [1, 1000], was " + steps);
        }
        if (!Double.isFinite(guidance) || guidance < 0) {
            throw new IllegalArgumentException("guidance scale must be a number ≥ 0, was " + guidance);
        }
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("width and height must be positive (or 0 for the model's size), were "
                    + width + "×" + height);
        }
        if (width % 8 != 0 || height % 8 != 0) {
            throw new IllegalArgumentException("width and height must be multiples of 8 (or 0 for the model's size),"
                    + " were " + width + "×" + height);
        }
        if (width > 8192 || height > 8192) {
            throw new IllegalArgumentException("width and height must be at most 8192, were " + width + "×" + height);
        }
        if (imagesPerPrompt < 1 || prompts.size() * imagesPerPrompt > MAX_BATCH) {
            throw new IllegalArgumentException("images per prompt must be ≥ 1 and the batch at most " + MAX_BATCH
                    + ", was " + imagesPerPrompt + " × " + prompts.size() + " prompts");
        }
        if (!(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in (0, 1], was " + strength);
        }
        if (scheduler != null && scheduler.isBlank()) {
            scheduler = null;
        }
        if (emphasis == null) {
            emphasis = Emphasis.ORIGINAL;
        }
        if (timestepSpacing != null && timestepSpacing.isBlank()) {
            timestepSpacing = null;
        }
        if (timestepSpacing != null) {
            timestepSpacing = timestepSpacing.trim().toLowerCase(Locale.ROOT);
            if (!TIMESTEP_SPACINGS.contains(timestepSpacing)) {
                throw new IllegalArgumentException("timestep spacing must be one of " + String.join(", ",
                        TIMESTEP_SPACINGS) + ", was '" + timestepSpacing + "'");
            }
        }
    }

    /** A request with A1111's "Original" emphasis, without SDXL's second prompts, with the config's spacing. */
    public GenerationRequest(List<String> prompts, String negativePrompt, long seed, int steps, double guidance,
            String scheduler, int width, int height, int imagesPerPrompt, double strength) {
        this(prompts, negativePrompt, seed, steps, guidance, scheduler, width, height, imagesPerPrompt, strength,
                Emphasis.ORIGINAL);
    }

    /** A request without SDXL's second prompts and with the scheduler config's timestep spacing. */
    public GenerationRequest(List<String> prompts, String negativePrompt, long seed, int steps, double guidance,
            String scheduler, int width, int height, int imagesPerPrompt, double strength, Emphasis emphasis) {
        this(prompts, negativePrompt, seed, steps, guidance, scheduler, width, height, imagesPerPrompt, strength,
                emphasis, null, null, null);
    }

    /** A request for one prompt with every other parameter at its default. */
    public static GenerationRequest of(String prompt) {
        return new GenerationRequest(List.of(prompt), null, -1, DEFAULT_STEPS, DEFAULT_GUIDANCE, null, 0, 0, 1,
                DEFAULT_STRENGTH);
    }

    /** The number of images: prompts × images per prompt. */
    public int batchSize() {
        return prompts.size() * imagesPerPrompt;
    }

    /** Whether classifier-free guidance runs (guidance > 1, as diffusers decides). */
    public boolean usesGuidance() {
        return guidance > 1.0;
    }

    /** This request with a random seed drawn when the seed is −1, so the seed actually used is recorded. */
    public GenerationRequest withResolvedSeed() {
        if (seed >= 0) {
            return this;
        }
        long drawn = ThreadLocalRandom.current().nextLong(MAX_SEED + 1);
        return withSeed(drawn);
    }

    /** A copy with another seed. */
    public GenerationRequest withSeed(long newSeed) {
        return copy(c -> c.seed = newSeed);
    }

    /** A copy with other prompts (every other parameter, SDXL's second prompts included, kept). */
    public GenerationRequest withPrompts(List<String> newPrompts) {
        return copy(c -> c.prompts = newPrompts);
    }

    /** A copy with another step count. */
    public GenerationRequest withSteps(int newSteps) {
        return copy(c -> c.steps = newSteps);
    }

    /** A copy with another guidance scale. */
    public GenerationRequest withGuidance(double newGuidance) {
        return copy(c -> c.guidance = newGuidance);
    }

    /** A copy with another img2img / inpainting strength. */
    public GenerationRequest withStrength(double newStrength) {
        return copy(c -> c.strength = newStrength);
    }

    /** A copy with another size. */
    public GenerationRequest withSize(int newWidth, int newHeight) {
        return copy(c -> {
            c.width = newWidth;
            c.height = newHeight;
        });
    }

    /** A copy with the scheduler named explicitly. */
    public GenerationRequest withScheduler(String name) {
        return copy(c -> c.scheduler = name);
    }

    /** A copy with another emphasis mode. */
    public GenerationRequest withEmphasis(Emphasis mode) {
        return copy(c -> c.emphasis = mode);
    }

    /** A copy with SDXL's prompts for the second text encoder (null or "" for the first ones). */
    public GenerationRequest withSecondPrompts(String newPrompt2, String newNegative2) {
        return copy(c -> {
            c.prompt2 = newPrompt2;
            c.negativePrompt2 = newNegative2;
        });
    }

    /** A copy with the timestep spacing overridden (null for the scheduler config's). */
    public GenerationRequest withTimestepSpacing(String spacing) {
        return copy(c -> c.timestepSpacing = spacing);
    }

    /** This request's fields, to change some and make the copy (validated as any request is). */
    private final class Fields {
        List<String> prompts = GenerationRequest.this.prompts;
        String negativePrompt = GenerationRequest.this.negativePrompt;
        long seed = GenerationRequest.this.seed;
        int steps = GenerationRequest.this.steps;
        double guidance = GenerationRequest.this.guidance;
        String scheduler = GenerationRequest.this.scheduler;
        int width = GenerationRequest.this.width;
        int height = GenerationRequest.this.height;
        int imagesPerPrompt = GenerationRequest.this.imagesPerPrompt;
        double strength = GenerationRequest.this.strength;
        Emphasis emphasis = GenerationRequest.this.emphasis;
        String prompt2 = GenerationRequest.this.prompt2;
        String negativePrompt2 = GenerationRequest.this.negativePrompt2;
        String timestepSpacing = GenerationRequest.this.timestepSpacing;
    }

    /** A copy of this request with {@code change} made to its fields; the one place the with… copies construct. */
    private GenerationRequest copy(Consumer<Fields> change) {
        Fields c = new Fields();
        change.accept(c);
        return new GenerationRequest(c.prompts, c.negativePrompt, c.seed, c.steps, c.guidance, c.scheduler, c.width,
                c.height, c.imagesPerPrompt, c.strength, c.emphasis, c.prompt2, c.negativePrompt2,
                c.timestepSpacing);
    }

    /**
     * The parameters as text, in a fixed order and with stable keys, for image Info, properties and PNG text
     * chunks. Multiple prompts are joined with " | " under {@code prompt} and also listed as prompt1, prompt2….
     */
    public Map<String, String> describe(boolean img2img) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("prompt", String.join(" | ", prompts));
        if (prompts.size() > 1) {
            for (int i = 0; i < prompts.size(); i++) {
                map.put("prompt" + (i + 1), prompts.get(i));
            }
        }
        map.put("negative", negativePrompt == null ? "" : negativePrompt);
        map.put("seed", Long.toString(seed));
        map.put("steps", Integer.toString(steps));
        map.put("guidance", format(guidance));
        map.put("scheduler", scheduler == null ? "" : scheduler);
        map.put("width", Integer.toString(width));
        map.put("height", Integer.toString(height));
        map.put("images_per_prompt", Integer.toString(imagesPerPrompt));
        if (img2img) {
            map.put("strength", format(strength));
        }
        map.put("emphasis", emphasis.label());
        // Written only when given, so SD 1.x records keep their keys.
        if (prompt2 != null && !prompt2.isEmpty()) {
            map.put("prompt_2", prompt2);
        }
        if (negativePrompt2 != null && !negativePrompt2.isEmpty()) {
            map.put("negative_2", negativePrompt2);
        }
        if (timestepSpacing != null) {
            map.put("timestep_spacing", timestepSpacing);
        }
        return map;
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e9 ? String.format(Locale.ROOT, "%.1f", value)
                : Double.toString(value);
    }
}
