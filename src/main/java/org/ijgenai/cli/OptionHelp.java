package org.ijgenai.cli;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

import org.ijgenai.core.diffusion.GenerationRequest;
import org.ijgenai.core.diffusion.InpaintSettings;
import org.ijgenai.core.diffusion.Schedulers;

/**
 * The {@code --help} lines of the options that several generation subcommands share (model, prompt, steps,
 * guidance, scheduler, size, emphasis, SDXL's second prompts, device, the inpainting options), so each is described
 * once and the same way everywhere; {@link #generation()} is the block of the options {@link GenerationOptions}
 * reads, {@link #inpaint} the block of those {@link InpaintOptions} reads.
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

    /** {@code --cfg} and its synonym {@code --guidance}, one line each, for the commands that take both. */
    static String cfgOrGuidance() {
        return "  --cfg F              classifier-free guidance scale; --guidance F is the same (default: "
                + GenerationRequest.DEFAULT_GUIDANCE + ")\n"
                + "  --guidance F         the same as --cfg";
    }

    /** {@code --emphasis}. */
    static String emphasis() {
        return "  --emphasis MODE      how (word:1.3) weights apply: Original, No norm, Comfy, Ignore or None"
                + " (default: Original)";
    }

    /** {@code --timestep-spacing}. */
    static String timestepSpacing() {
        return "  --timestep-spacing S leading, linspace or trailing, overriding the scheduler config (default: the"
                + " config's; Turbo models need trailing)";
    }

    /** {@code --prompt-2} and {@code --negative-2}, SDXL's second text encoder, one line each. */
    static String secondPrompts() {
        return "  --prompt-2 TEXT      SDXL: the prompt for the second text encoder (default: the same as --prompt)\n"
                + "  --negative-2 TEXT    SDXL: the negative prompt for the second text encoder (default: --negative)";
    }

    /**
     * The options {@link GenerationOptions#request} reads, with device, threads and quiet, in one block ending in
     * a newline: what {@code grid} and {@code walk} share with {@code txt2img}.
     */
    static String generation() {
        return lines(negative(), steps(), cfgOrGuidance(), scheduler(), size(), emphasis(), timestepSpacing(),
                secondPrompts(), threadsAndDevice(), quiet());
    }

    /**
     * The options {@link InpaintOptions#settings} reads ({@code --strength}, {@code --masked-content}, {@code --grow},
     * {@code --feather}, {@code --blend}, {@code --context}, {@code --padding}, {@code --composite}), one line each,
     * with the defaults of {@code defaults}, in one block ending in a newline.
     *
     * @param orImg2img whether the command also runs img2img (with {@code --init} alone): then the mask options say
     *     they apply to inpainting, and {@code --strength} gives img2img's default too
     */
    static String inpaint(InpaintSettings defaults, boolean orImg2img) {
        String only = orImg2img ? "inpainting: " : "";
        return lines(orImg2img
                ? "  --strength F         how much of the init image is re-noised, 0…1; inpainting: of the masked part,"
                        + " 4-channel models only (default: " + GenerationRequest.DEFAULT_STRENGTH + " for img2img, "
                        + defaults.strength() + " for inpainting)"
                : "  --strength F         how much of the masked part is re-noised, 0…1; 4-channel models only"
                        + " (default: " + defaults.strength() + ")",
                "  --masked-content M   " + only + "what the masked part starts from: original, fill, latent_noise or"
                        + " latent_nothing; 4-channel models only (default: " + defaults.maskedContent().key() + ")",
                "  --grow PX            " + only + "dilate the mask (default: " + defaults.grow() + ")",
                "  --feather PX         " + only + "soften the edge of the mask the model repaints (default: "
                        + defaults.feather() + ")",
                "  --blend PX           " + only + "width of the transition when pasting the result back (default: "
                        + defaults.blend() + ")",
                "  --context C          " + only + "masked (the mask's box plus padding) or whole (the whole image)"
                        + " (default: " + defaults.context().key() + ")",
                "  --padding PX         " + only + "pixels around the mask's box in masked context (default: "
                        + defaults.padding() + ")",
                "  --composite on|off   " + only + "paste the result over the original with the blended mask, else"
                        + " write what the model made (default: " + (defaults.composite() ? "on" : "off") + ")");
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

    /**
     * The lines joined, with a final newline, as {@link Subcommand#help()} returns them; a null line (an option
     * that one variant of a command lacks) is left out, and a block that ends in a newline ({@link #inpaint}) fits
     * in as its lines.
     */
    static String lines(String... lines) {
        return Arrays.stream(lines).filter(Objects::nonNull).map(String::stripTrailing)
                .collect(Collectors.joining("\n")) + "\n";
    }
}
