package org.ijgenai.cli;

import java.util.List;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.Schedulers;
import org.ijgenai.core.text.Emphasis;

/**
 * The generation options that {@code grid} and {@code walk} share with {@code txt2img}, read into a base request
 * with the same names and defaults, and their help lines, so that a sweep's cell is the single command's picture.
 */
final class GenerationOptions {

    /** The help lines of the shared options (without --prompt and --seed, which each command words itself). */
    static final String HELP = String.join("\n",
            "  --negative TEXT      what to avoid (default: none)",
            "  --steps N            denoising steps (default: " + GenerationRequest.DEFAULT_STEPS + ")",
            "  --cfg F              classifier-free guidance scale; --guidance F is the same (default: "
                    + GenerationRequest.DEFAULT_GUIDANCE + ")",
            "  --guidance F         the same as --cfg",
            "  --scheduler NAME     pndm, ddim, euler, euler_a, lms, dpmpp_2m, dpmpp_2m_karras or lcm (default: the"
                    + " model's own scheduler_config.json)",
            "  --width W            image width, a multiple of 8 (default: 0, the model's size)",
            "  --height H           image height, a multiple of 8 (default: 0, the model's size)",
            "  --emphasis MODE      how (word:1.3) weights apply: Original, No norm, Comfy, Ignore or None (default:"
                    + " Original)",
            "  --timestep-spacing S leading, linspace or trailing, overriding the scheduler config (default: the"
                    + " config's)",
            "  --prompt-2 TEXT      SDXL: the prompt for the second text encoder (default: the same as --prompt)",
            "  --negative-2 TEXT    SDXL: the negative prompt for the second text encoder (default: --negative)",
            "  --threads N          ONNX Runtime intra-op threads (default: 0, ONNX Runtime's choice)",
            "  --device NAME        auto, cpu, gpu or gpu:N (default: auto)",
            "  --quiet              no progress line") + "\n";

    /** The usage fragment of the shared options. */
    static final String USAGE = "[--negative TEXT] [--steps N] [--cfg|--guidance F] [--scheduler NAME] [--width W]"
            + " [--height H] [--emphasis MODE] [--timestep-spacing S] [--prompt-2 TEXT] [--negative-2 TEXT]"
            + " [--threads N] [--device auto|cpu|gpu|gpu:N]";

    private GenerationOptions() {}

    /**
     * The base request of {@code prompts} and {@code seed} with the shared options read from {@code args}.
     *
     * @throws UsageException for a value of the wrong kind or out of range, naming the option
     */
    static GenerationRequest request(CliArgs args, List<String> prompts, long seed, double strength) {
        if (args.has("cfg") && args.has("guidance")) {
            throw new UsageException("give --cfg or --guidance (the same option), not both");
        }
        String cfgKey = args.has("guidance") ? "guidance" : "cfg";
        Emphasis emphasis;
        try {
            emphasis = Emphasis.fromLabel(args.get("emphasis", Emphasis.ORIGINAL.label()));
        } catch (GenAiException e) {
            throw new UsageException("--emphasis: " + e.getMessage());
        }
        String scheduler = args.get("scheduler", null);
        if (scheduler != null) {
            try {
                scheduler = Schedulers.canonicalName(scheduler);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--scheduler: " + e.getMessage());
            }
        }
        try {
            return new GenerationRequest(prompts, args.get("negative", null), seed,
                    args.getInt("steps", GenerationRequest.DEFAULT_STEPS),
                    args.getDouble(cfgKey, GenerationRequest.DEFAULT_GUIDANCE), scheduler,
                    args.getInt("width", 0), args.getInt("height", 0), 1, strength, emphasis,
                    args.get("prompt-2", null), args.get("negative-2", null), args.get("timestep-spacing", null));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** --device, default auto. */
    static String device(CliArgs args) {
        return args.get("device", "auto");
    }

    /** --threads, default 0. */
    static int threads(CliArgs args) {
        return args.getInt("threads", 0);
    }
}
