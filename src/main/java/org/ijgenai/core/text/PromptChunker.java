package org.ijgenai.core.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

import org.ijgenai.core.GenAiException;

/**
 * Cuts a prompt of any length into chunks of 75 tokens plus bos and eos, exact to A1111's
 * {@code sd_hijack_clip.TextConditionalModel.tokenize_line}: each parsed run is tokenized on its own; when a chunk
 * is full and the last comma is at most 20 tokens back, the tokens after that comma move to the next chunk;
 * {@code BREAK} closes the chunk at once. After the first eos of a chunk the ids are the pad id, as A1111's
 * {@code process_tokens} writes them for SD2's tokenizers (pad "!"); SD1's pad with eos anyway.
 */
public final class PromptChunker {

    /** A1111's default {@code comma_padding_backtrack}: how far back a comma may be to move the tail. */
    public static final int COMMA_BACKTRACK = 20;
    /** The default limit on chunks: 32 × 75 = 2,400 tokens, far beyond any prompt people write. */
    public static final int DEFAULT_MAX_CHUNKS = 32;

    private final ClipTokenizer tokenizer;
    private final int chunkLength;
    private final int commaId;
    private final int maxChunks;

    /** A chunker over a tokenizer, with the default chunk limit. */
    public PromptChunker(ClipTokenizer tokenizer) {
        this(tokenizer, DEFAULT_MAX_CHUNKS);
    }

    /** A chunker over a tokenizer that refuses prompts needing more than {@code maxChunks} chunks. */
    public PromptChunker(ClipTokenizer tokenizer, int maxChunks) {
        if (maxChunks < 1) {
            throw new IllegalArgumentException("maxChunks must be ≥ 1, was " + maxChunks);
        }
        if (tokenizer.maxLength() < 3) {
            throw new GenAiException("the tokenizer's maximum length " + tokenizer.maxLength()
                    + " leaves no room for prompt tokens between bos and eos");
        }
        this.tokenizer = tokenizer;
        this.chunkLength = tokenizer.maxLength() - 2;
        OptionalInt comma = tokenizer.vocabularyId(",</w>");
        this.commaId = comma.isPresent() ? comma.getAsInt() : Integer.MIN_VALUE;
        this.maxChunks = maxChunks;
    }

    /** The prompt tokens of one chunk: the tokenizer's maximum length less bos and eos. */
    public int chunkLength() {
        return chunkLength;
    }

    /** The tokenizer the chunks come from. */
    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Chunks a prompt.
     *
     * @param emphasis {@link Emphasis#NONE} takes the prompt as plain text; every other mode parses it
     * @throws GenAiException when a weight is not a number, or the prompt needs more chunks than the limit
     */
    public ChunkedPrompt chunk(String line, Emphasis emphasis) {
        List<WeightedText> runs = emphasis.parses() ? PromptParser.parse(line) : List.of(new WeightedText(line, 1.0));
        Builder b = new Builder();
        for (WeightedText run : runs) {
            if (run.isBreak()) {
                b.nextChunk(false);
                continue;
            }
            for (int token : tokenizer.textIds(run.text())) {
                if (token == commaId) {
                    b.lastComma = b.tokens.size();
                } else if (b.tokens.size() == chunkLength && b.lastComma != -1
                        && b.tokens.size() - b.lastComma <= COMMA_BACKTRACK) {
                    b.moveTailAfterComma();
                }
                if (b.tokens.size() == chunkLength) {
                    b.nextChunk(false);
                }
                b.tokens.add(token);
                b.weights.add(run.weight());
            }
            b.checkLimit(line);
        }
        if (!b.tokens.isEmpty() || b.chunks.isEmpty()) {
            b.nextChunk(true);
        }
        b.checkLimit(line);
        return new ChunkedPrompt(b.chunks, b.tokenCount, runs, chunkLength);
    }

    /** The state of A1111's loop: the chunk being filled, the chunks made, the count and the last comma. */
    private final class Builder {
        final List<PromptChunk> chunks = new ArrayList<>();
        List<Integer> tokens = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        int tokenCount;
        int lastComma = -1;

        void moveTailAfterComma() {
            int breakLocation = lastComma + 1;
            List<Integer> movedTokens = new ArrayList<>(tokens.subList(breakLocation, tokens.size()));
            List<Double> movedWeights = new ArrayList<>(weights.subList(breakLocation, weights.size()));
            tokens.subList(breakLocation, tokens.size()).clear();
            weights.subList(breakLocation, weights.size()).clear();
            nextChunk(false);
            tokens = movedTokens;
            weights = movedWeights;
        }

        /** A1111's {@code next_chunk}: pads, adds bos and eos, and starts an empty chunk. */
        void nextChunk(boolean last) {
            tokenCount += last ? tokens.size() : chunkLength;
            int length = chunkLength + 2;
            int[] ids = new int[length];
            double[] w = new double[length];
            Arrays.fill(ids, tokenizer.eosId());
            Arrays.fill(w, 1.0);
            ids[0] = tokenizer.bosId();
            for (int i = 0; i < tokens.size(); i++) {
                ids[i + 1] = tokens.get(i);
                w[i + 1] = weights.get(i);
            }
            if (tokenizer.padId() != tokenizer.eosId()) {
                int eos = 1;
                while (ids[eos] != tokenizer.eosId()) {
                    eos++;
                }
                Arrays.fill(ids, eos + 1, length, tokenizer.padId());
            }
            chunks.add(new PromptChunk(ids, w));
            tokens = new ArrayList<>();
            weights = new ArrayList<>();
            lastComma = -1;
        }

        void checkLimit(String line) {
            int needed = chunks.size() + (tokens.isEmpty() ? 0 : 1);
            if (needed > maxChunks) {
                throw new GenAiException("the prompt is too long: it needs more than " + maxChunks + " chunks of "
                        + chunkLength + " tokens (the limit is " + maxChunks * chunkLength + " tokens; it starts \""
                        + (line.length() <= 60 ? line : line.substring(0, 57) + "...") + "\")");
            }
        }
    }
}
