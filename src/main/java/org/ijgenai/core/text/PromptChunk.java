package org.ijgenai.core.text;

/**
 * One chunk of a prompt as the text encoder takes it: bos, up to 75 prompt tokens, eos, padding; and the weight of
 * each position (1.0 for bos, eos and padding).
 *
 * @param ids the token ids, as many as the tokenizer's maximum length
 * @param weights the weight of each id
 */
public record PromptChunk(int[] ids, double[] weights) {

    /** Checks the lengths agree and copies the arrays, so that the record owns its data. */
    public PromptChunk {
        if (ids.length != weights.length) {
            throw new IllegalArgumentException("ids (" + ids.length + ") and weights (" + weights.length
                    + ") differ in length");
        }
        ids = ids.clone();
        weights = weights.clone();
    }

    /** A copy of the ids. */
    @Override
    public int[] ids() {
        return ids.clone();
    }

    /** A copy of the weights. */
    @Override
    public double[] weights() {
        return weights.clone();
    }

    /** Whether every weight is 1.0, so that weighting leaves the hidden states as they are. */
    public boolean unweighted() {
        for (double w : weights) {
            if (w != 1.0) {
                return false;
            }
        }
        return true;
    }
}
