package org.ijgenai.core.text;

import java.util.List;

/**
 * A prompt cut into text-encoder chunks, with what the parser understood of it.
 *
 * @param chunks one or more chunks
 * @param tokenCount the prompt's tokens as A1111 counts them: 75 per full or broken chunk plus the last chunk's
 * @param runs the parsed (text, weight) runs the chunks were made of
 * @param chunkLength the prompt tokens one chunk holds (75 for CLIP's 77 positions)
 */
public record ChunkedPrompt(List<PromptChunk> chunks, int tokenCount, List<WeightedText> runs, int chunkLength) {

    /** Copies the lists. */
    public ChunkedPrompt {
        chunks = List.copyOf(chunks);
        runs = List.copyOf(runs);
    }

    /** The token count the chunks have room for, as A1111's counter shows it ("83/150"): 75 per chunk. */
    public int capacity() {
        return chunks.size() * chunkLength;
    }

    /** Whether any chunk carries a weight other than 1.0. */
    public boolean weighted() {
        return chunks.stream().anyMatch(c -> !c.unweighted());
    }

    /** The counter text of A1111's prompt box, with the chunk count: "83/150, 2 chunks". */
    public String counter() {
        return tokenCount + "/" + capacity() + (chunks.size() == 1 ? "" : ", " + chunks.size() + " chunks");
    }
}
