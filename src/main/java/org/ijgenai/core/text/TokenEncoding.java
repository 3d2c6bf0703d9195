package org.ijgenai.core.text;

import java.util.Arrays;

/**
 * A tokenized prompt as a CLIP text encoder takes it: {@code <|startoftext|>}, the prompt's tokens,
 * {@code <|endoftext|>}, then padding (when padded) up to the tokenizer's maximum length.
 *
 * @param ids the token ids, bos and eos included; padded to the maximum length unless made unpadded
 * @param attentionMask 1 for bos, prompt tokens and eos, 0 for padding
 * @param tokenCount how many ids are not padding (bos and eos included), at most the maximum length
 * @param promptTokenCount how many ids the whole prompt needs with bos and eos, before truncation
 */
public record TokenEncoding(int[] ids, int[] attentionMask, int tokenCount, int promptTokenCount) {

    /** Checks the arrays agree and copies them, so that the record owns its data. */
    public TokenEncoding {
        if (ids.length != attentionMask.length) {
            throw new IllegalArgumentException("ids (" + ids.length + ") and attention mask ("
                    + attentionMask.length + ") differ in length");
        }
        if (tokenCount < 2 || tokenCount > ids.length || promptTokenCount < tokenCount) {
            throw new IllegalArgumentException("inconsistent counts: " + tokenCount + " tokens of " + ids.length
                    + ", prompt needs " + promptTokenCount);
        }
        ids = ids.clone();
        attentionMask = attentionMask.clone();
    }

    /** Whether the prompt was cut to fit the maximum length. */
    public boolean truncated() {
        return promptTokenCount > tokenCount;
    }

    /** A copy of the ids. */
    @Override
    public int[] ids() {
        return ids.clone();
    }

    /** A copy of the attention mask. */
    @Override
    public int[] attentionMask() {
        return attentionMask.clone();
    }

    /** The ids as int64, as text encoders exported with int64 inputs declare them. */
    public long[] idsAsLongs() {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenEncoding e && Arrays.equals(ids, e.ids)
                && Arrays.equals(attentionMask, e.attentionMask) && tokenCount == e.tokenCount
                && promptTokenCount == e.promptTokenCount;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + promptTokenCount;
    }

    @Override
    public String toString() {
        return "TokenEncoding" + Arrays.toString(Arrays.copyOf(ids, tokenCount)) + " (" + tokenCount + " of "
                + ids.length + (truncated() ? ", truncated from " + promptTokenCount : "") + ")";
    }
}
