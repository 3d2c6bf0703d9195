package org.ijgenai.core.text;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.catalog.ModelLocator;

/**
 * The token counter beside a prompt box, as A1111's shows it ("tokens: 83/150, 2 chunks" and the weights the
 * parser understood), for the model the user typed: an installed model's name (e.g. {@code shapes-sd}) or a
 * Stable Diffusion folder. For SDXL it also counts the second prompts with {@code tokenizer_2}, which chunks them on
 * its own ({@link #describeSecond}).
 */
public final class PromptTokenCounter {

    private final ClipTokenizer tokenizer;
    private final ClipTokenizer tokenizer2;
    private final String problem;

    private PromptTokenCounter(ClipTokenizer tokenizer, ClipTokenizer tokenizer2, String problem) {
        this.tokenizer = tokenizer;
        this.tokenizer2 = tokenizer2;
        this.problem = problem;
    }

    private PromptTokenCounter(String problem) {
        this(null, null, problem);
    }

    /**
     * The counter for a model name or folder, resolved as generation resolves it ({@link ModelLocator}); when it
     * cannot be, the counter says why instead of counting.
     *
     * @param userModelsFolder the user's models folder preference, or null
     */
    public static PromptTokenCounter forModel(String folderOrName, String userModelsFolder) {
        String text = folderOrName == null ? "" : folderOrName.trim();
        if (text.isEmpty()) {
            return new PromptTokenCounter("name a model, e.g. shapes-sd, or choose its folder");
        }
        Path folder;
        try {
            folder = ModelLocator.resolve(text, userModelsFolder);
        } catch (GenAiException e) {
            return new PromptTokenCounter("no model " + text);
        }
        Path dir = folder.resolve("tokenizer");
        if (!Files.isRegularFile(dir.resolve("vocab.json"))) {
            return new PromptTokenCounter(text + " has no tokenizer/vocab.json");
        }
        // SDXL's second tokenizer, which the pipeline chunks prompt_2 and negative_2 with.
        Path dir2 = folder.resolve("tokenizer_2");
        Path reading = dir;
        try {
            ClipTokenizer first = ClipTokenizer.fromDirectory(dir);
            reading = dir2;
            ClipTokenizer second = Files.isRegularFile(dir2.resolve("vocab.json")) ? ClipTokenizer.fromDirectory(dir2)
                    : null;
            return new PromptTokenCounter(first, second, null);
        } catch (RuntimeException e) {
            return new PromptTokenCounter("cannot read " + reading + ": " + e.getMessage());
        }
    }

    /** Whether the model's tokenizer was found, so {@link #describe} counts. */
    public boolean counts() {
        return tokenizer != null;
    }

    /** Whether the model has SDXL's {@code tokenizer_2}, so {@link #describeSecond} counts with it. */
    public boolean countsSecond() {
        return tokenizer2 != null;
    }

    /**
     * The counter's text for a prompt, e.g. {@code tokens: 7/75 · weights: red circle ×1.30}, or
     * {@code tokens: – (no model shapes-sdd)} when there is no tokenizer to count with.
     */
    public String describe(String prompt) {
        return describe(prompt, Emphasis.ORIGINAL);
    }

    /** The counter's text for a prompt read with the emphasis mode {@code emphasis} (which changes the weights). */
    public String describe(String prompt, Emphasis emphasis) {
        if (tokenizer == null) {
            return "tokens: – (" + problem + ")";
        }
        return describe(tokenizer, prompt, emphasis, "tokens");
    }

    /**
     * SDXL: the counter's text for a second prompt (prompt_2 or negative_2) as {@code tokenizer_2} chunks it, e.g.
     * {@code tokens (tokenizer_2): 83/150, 2 chunks}; an empty {@code second} counts {@code first}, as the pipeline
     * encodes it then.
     */
    public String describeSecond(String second, String first, Emphasis emphasis) {
        if (tokenizer2 == null) {
            return "tokens: – (" + (problem != null ? problem : "not an SDXL model: it has no tokenizer_2") + ")";
        }
        String text = second == null || second.isEmpty() ? (first == null ? "" : first) : second;
        return describe(tokenizer2, text, emphasis, "tokens (tokenizer_2)");
    }

    private static String describe(ClipTokenizer tokenizer, String prompt, Emphasis emphasis, String label) {
        ChunkedPrompt chunked;
        try {
            chunked = new PromptChunker(tokenizer).chunk(prompt, emphasis);
        } catch (GenAiException e) {
            return label + ": – " + e.getMessage();
        }
        StringBuilder weights = new StringBuilder();
        int shown = 0;
        for (WeightedText run : chunked.runs()) {
            if (run.isBreak() || run.weight() == 1.0 || run.text().isBlank()) {
                continue;
            }
            if (shown++ == 4) {
                weights.append(", …");
                break;
            }
            weights.append(weights.length() == 0 ? " · weights: " : ", ").append(run.text().strip())
                    .append(String.format(Locale.ROOT, " ×%.2f", run.weight()));
        }
        return label + ": " + chunked.counter() + weights;
    }
}
