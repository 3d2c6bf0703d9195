package org.ijgenai.core.attention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.ijgenai.core.text.ClipTokenizer;

/**
 * The words of a prompt and the token positions of each (start token = position 0), so that a word split into
 * sub-word tokens gets one heat map, as DAAM's {@code compute_token_merge_indices} merges them.
 */
public final class PromptWords {

    /**
     * One word.
     *
     * @param text the word as written in the prompt
     * @param positions its tokens' positions in the encoded prompt, within the encoder's length
     */
    public record Word(String text, int[] positions) {
        @Override
        public String toString() {
            return text + Arrays.toString(positions);
        }
    }

    private final List<Word> words;
    private final int promptTokens;

    private PromptWords(List<Word> words, int promptTokens) {
        this.words = words;
        this.promptTokens = promptTokens;
    }

    /**
     * Splits {@code prompt} at white space and finds each word's tokens. CLIP's tokenizer splits at white space (and
     * punctuation) before byte-pair encoding, so the prompt's tokens are its words' tokens one after the other.
     * Words beyond the encoder's length are left out.
     */
    public static PromptWords of(ClipTokenizer tokenizer, String prompt) {
        int[] all = tokenizer.textIds(prompt);
        int kept = Math.min(all.length, tokenizer.maxLength() - 2);
        List<Word> words = new ArrayList<>();
        int at = 0;
        for (String text : prompt.trim().split("\\s+")) {
            int[] ids = tokenizer.textIds(text);
            if (ids.length == 0) {
                continue;
            }
            if (at + ids.length > all.length
                    || !Arrays.equals(ids, Arrays.copyOfRange(all, at, at + ids.length))) {
                // Not a concatenation (an unusual tokenizer): fall back to one entry per token.
                return perToken(tokenizer, all, kept);
            }
            List<Integer> positions = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                if (at + i < kept) {
                    positions.add(at + i + 1);
                }
            }
            if (!positions.isEmpty()) {
                words.add(new Word(text, positions.stream().mapToInt(Integer::intValue).toArray()));
            }
            at += ids.length;
        }
        return new PromptWords(Collections.unmodifiableList(words), kept);
    }

    private static PromptWords perToken(ClipTokenizer tokenizer, int[] ids, int kept) {
        List<Word> words = new ArrayList<>();
        for (int i = 0; i < kept; i++) {
            words.add(new Word(tokenizer.decode(new int[] {ids[i]}, true).trim(), new int[] {i + 1}));
        }
        return new PromptWords(Collections.unmodifiableList(words), kept);
    }

    /** The words, in prompt order. */
    public List<Word> words() {
        return words;
    }

    /** The number of the prompt's tokens that the encoder sees (without start and end tokens). */
    public int promptTokens() {
        return promptTokens;
    }
}
