package org.ijgenai.cli;

import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.Schedulers;

/**
 * The {@code --help} lines of the options that several generation subcommands share (model, prompt, steps,
 * guidance, scheduler, size, device), so each is described once and the same way everywhere.
 */
final class OptionHelp {

    private OptionHelp() {}

    /** {@code --model}. */
    static String model() {
        return "  --model DIR|NAME     a diffusers ONNX folder or an installed model's name (required)";
    }

    /** {@code --prompt}. */
    static String prompt(String what) {
        return "  --prompt TEXT        " + what + " (required)";
    }

    /** {@code --negative}. */
    static String negative() {
        return "  --negative TEXT      what to avoid (default: none)";
    }

    /** {@code --seed} with its default. */
    static String seed(long fallback) {
        return "  --seed N             numpy-compatible seed (default: " + fallback
                + (fallback < 0 ? ", a random seed, printed" : "") + ")";
    }

    /** {@code --steps}. */
    static String steps() {
        return "  --steps N            denoising steps (default: " + GenerationRequest.DEFAULT_STEPS + ")";
    }

    /** {@code --cfg}. */
    static String cfg() {
        return "  --cfg F              classifier-free guidance scale (default: " + GenerationRequest.DEFAULT_GUIDANCE
                + ")";
    }

    /** {@code --scheduler}. */
    static String scheduler() {
        return "  --scheduler NAME     " + String.join(", ", Schedulers.NAMES)
                + " (default: the model's own scheduler_config.json)";
    }

    /** {@code --width} and {@code --height}, one line each. */
    static String size() {
        return "  --width W            image width, a multiple of 8 (default: 0, the model's size)\n"
                + "  --height H           image height, a multiple of 8 (default: 0, the model's size)";
    }

    /** {@code --threads} and {@code --device}, one line each. */
    static String threadsAndDevice() {
        return threads() + "\n"
                + "  --device NAME        auto, cpu, gpu or gpu:N (default: auto)";
    }

    /** {@code --threads}. */
    static String threads() {
        return "  --threads N          ONNX Runtime intra-op threads (default: 0, ONNX Runtime's choice)";
    }

    /** {@code --quiet}. */
    static String quiet() {
        return "  --quiet              no progress line";
    }

    /** The lines joined, with a final newline, as {@link Subcommand#help()} returns them. */
    static String lines(String... lines) {
        return String.join("\n", lines) + "\n";
    }
}
