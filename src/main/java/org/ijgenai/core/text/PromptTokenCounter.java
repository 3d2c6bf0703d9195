package org.ijgenai.core.text;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.catalog.ModelLocator;

/**
 * The token counter beside a prompt box, as A1111's shows it ("tokens: 83/150, 2 chunks" and the weights the
 * parser understood), for the model the user typed: an installed model's name (e.g. {@code shapes-sd}) or a
 * Stable Diffusion folder.
 */
public final class PromptTokenCounter {

    private final ClipTokenizer tokenizer;
    private final String problem;

    private PromptTokenCounter(ClipTokenizer tokenizer, String problem) {
        this.tokenizer = tokenizer;
        this.problem = problem;
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
            return new PromptTokenCounter(null, "name a model, e.g. shapes-sd, or choose its folder");
        }
        Path folder;
        try {
            folder = ModelLocator.resolve(text, userModelsFolder);
        } catch (GenAiException e) {
            return new PromptTokenCounter(null, "no model " + text);
        }
        Path dir = folder.resolve("tokenizer");
        if (!Files.isRegularFile(dir.resolve("vocab.json"))) {
            return new PromptTokenCounter(null, text + " has no tokenizer/vocab.json");
        }
        try {
            return new PromptTokenCounter(ClipTokenizer.fromDirectory(dir), null);
        } catch (RuntimeException e) {
            return new PromptTokenCounter(null, "cannot read " + dir + ": " + e.getMessage());
        }
    }

    /** Whether the model's tokenizer was found, so {@link #describe} counts. */
    public boolean counts() {
        return tokenizer != null;
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
        ChunkedPrompt chunked;
        try {
            chunked = new PromptChunker(tokenizer).chunk(prompt, emphasis);
        } catch (GenAiException e) {
            return "tokens: – " + e.getMessage();
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
        return "tokens: " + chunked.counter() + weights;
    }
}
