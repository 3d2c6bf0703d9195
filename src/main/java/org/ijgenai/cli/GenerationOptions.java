package org.ijgenai.cli;

import java.util.List;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.Schedulers;
import org.ijgenai.core.text.Emphasis;

/**
 * The generation options that {@code grid} and {@code walk} share with {@code txt2img}, read into a base request
 * with the same names and defaults, so that a sweep's cell is the single command's picture; their help lines are
 * {@link OptionHelp#generation()}.
 */
final class GenerationOptions {

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
