package org.ijgenai.core.text;

/**
 * One run of a parsed prompt: a piece of text and the attention weight it carries, or the {@code BREAK} marker
 * ({@code ("BREAK", -1)}, as A1111's {@code parse_prompt_attention} writes it).
 *
 * @param text the text, brackets and escapes resolved
 * @param weight its multiplier: 1.0 plain, 1.1 per {@code (…)}, 1/1.1 per {@code […]}, the number of {@code (…:w)}
 */
public record WeightedText(String text, double weight) {

    /** The marker that starts a new 75-token chunk. */
    public static final WeightedText BREAK = new WeightedText("BREAK", -1);

    /** Whether this run is the chunk-break marker; A1111 tests exactly this pair. */
    public boolean isBreak() {
        return weight == -1 && text.equals("BREAK");
    }
}
