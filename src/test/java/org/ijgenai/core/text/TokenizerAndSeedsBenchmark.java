package org.ijgenai.core.text;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.ijgenai.core.random.NumpyRandomState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Prints how fast prompts are tokenized and latents drawn. Run with {@code mvn -Pbenchmarks test
 * -Dtest=TokenizerAndSeedsBenchmark}; set IJ_GENAI_REAL_CLIP_TOKENIZERS to time the full CLIP vocabulary.
 */
@Tag("benchmark")
class TokenizerAndSeedsBenchmark {

    private static final String PROMPT = "masterpiece, best quality, (ultra-detailed:1.3), a watercolor landscape "
            + "with trees and a river, soft lighting, film grain, by Greg Rutkowski and Alphonse Mucha";

    @Test
    void tokenizerThroughput() throws Exception {
        String real = System.getenv("IJ_GENAI_REAL_CLIP_TOKENIZERS");
        Path dir = real != null ? Paths.get(real, "sd15") : tiny();
        long t0 = System.nanoTime();
        ClipTokenizer tokenizer = ClipTokenizer.fromDirectory(dir);
        long loaded = System.nanoTime();
        for (TextCleanup cleanup : TextCleanup.values()) {
            ClipTokenizer t = tokenizer.withCleanup(cleanup);
            // distinct prompts defeat the word cache for their last word only, as a user editing a prompt does
            int n = 2000;
            long start = System.nanoTime();
            int tokens = 0;
            for (int i = 0; i < n; i++) {
                tokens += t.encode(PROMPT + " variation " + i).tokenCount();
            }
            double ms = (System.nanoTime() - start) / 1e6;
            System.out.printf("tokenizer %s, %s: %d prompts in %.0f ms (%.3f ms per prompt, %d tokens)%n",
                    dir.getFileName(), cleanup, n, ms, ms / n, tokens);
        }
        System.out.printf("tokenizer %s: loading took %.0f ms%n", dir.getFileName(), (loaded - t0) / 1e6);
    }

    @Test
    void latentDrawThroughput() {
        int count = 4 * 128 * 128; // SD latents for a 1024×1024 image
        NumpyRandomState rng = new NumpyRandomState(42);
        rng.randn(count); // warm-up
        long start = System.nanoTime();
        double sum = 0;
        for (int i = 0; i < 2 * count; i++) {
            sum += rng.randomSample();
        }
        double uniformMs = (System.nanoTime() - start) / 1e6;
        start = System.nanoTime();
        float[] noise = rng.randn(count);
        double gaussMs = (System.nanoTime() - start) / 1e6;
        System.out.printf("randn(1,4,128,128): %.1f ms; %d uniform doubles: %.1f ms; ratio %.2f (checksum %.3f %.3f)%n",
                gaussMs, 2 * count, uniformMs, gaussMs / uniformMs, sum, noise[0]);
    }

    private static Path tiny() throws URISyntaxException {
        return Paths.get(TokenizerAndSeedsBenchmark.class.getResource("tiny-clip-tokenizer").toURI());
    }
}
