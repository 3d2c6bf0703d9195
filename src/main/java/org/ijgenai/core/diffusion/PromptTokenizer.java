package org.ijgenai.core.diffusion;

/** The CLIP tokenizer of a model folder, padded and truncated to the text encoder's 77 positions. */
final class PromptTokenizer {

    private PromptTokenizer() {}

    static PromptTokenizer forModel(ModelFolder folder) {
        throw new UnsupportedOperationException("tokenizer not merged yet");
    }

    int[] ids(String text) {
        throw new UnsupportedOperationException("tokenizer not merged yet");
    }
}
