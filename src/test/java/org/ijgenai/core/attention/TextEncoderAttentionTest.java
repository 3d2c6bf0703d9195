package org.ijgenai.core.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.text.ClipTokenizer;
import org.junit.jupiter.api.Test;

/** The text encoder's self-attention and embeddings for a prompt, on the bundled shapes-sd. */
class TextEncoderAttentionTest {

    private static final Path MODEL = Path.of("models/shapes-sd");

    @Test
    void everyLayerAndHeadIsACausalAttentionOverTheUsedTokens() {
        assumeTrue(Files.isDirectory(MODEL), MODEL + " is not in this checkout");
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(MODEL.resolve("tokenizer"));
        TextEncoderAttention a = TextEncoderAttention.compute(MODEL.resolve("text_encoder/model.onnx"), tokenizer,
                "a red circle", new SessionSettings(1, true, -1));
        assertEquals(List.of("<|startoftext|>", "a", "red", "circle", "<|endoftext|>"), a.tokens());
        assertEquals(4, a.layers().size(), "shapes-sd's text encoder has four layers");
        assertEquals(4, a.heads());
        for (int layer = 0; layer < a.layers().size(); layer++) {
            for (int head = 0; head < a.heads(); head++) {
                float[] m = a.matrix(layer, head);
                for (int row = 0; row < a.used(); row++) {
                    double sum = 0;
                    for (int col = 0; col < a.used(); col++) {
                        sum += m[row * a.used() + col];
                        if (col > row) {
                            assertEquals(0f, m[row * a.used() + col], 1e-7, "CLIP attends to earlier tokens only");
                        }
                    }
                    // Causal: the used tokens hold all of a used row's attention.
                    assertEquals(1.0, sum, 1e-5, "layer " + layer + " head " + head + " row " + row);
                }
            }
        }
        assertEquals(1f, a.matrix(0, 0)[0], 1e-6, "the start token can only attend to itself");
        assertEquals(128, a.width());
        assertEquals(5 * 128, a.tokenEmbeddings().length);
        assertTrue(!java.util.Arrays.equals(java.util.Arrays.copyOfRange(a.positionEmbeddings(), 0, 128),
                java.util.Arrays.copyOfRange(a.positionEmbeddings(), 128, 256)));
    }
}
