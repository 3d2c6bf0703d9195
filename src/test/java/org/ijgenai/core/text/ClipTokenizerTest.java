package org.ijgenai.core.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import org.ijgenai.core.GenAiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-worked ids on the tiny committed tokenizer ({@code tools/make_tiny_clip_tokenizer.py}): byte character
 * k has id k and k + 256 with {@code </w>}; merge m makes token 512 + m; bos = 538, eos = 539. Printable ASCII
 * byte b is byte character b − 33, so 'a' = 64 and "a</w>" = 320.
 */
class ClipTokenizerTest {

    private static final int BOS = 538;
    private static final int EOS = 539;
    private static final int HELLO = 515;
    private static final int THE = 517;
    private static final int CAT = 519;
    private static final int APOSTROPHE_S = 520;
    private static final int APOSTROPHE_T = 521;
    private static final int CAFE = 536;
    private static final int A_WORD = 320;

    @TempDir
    Path temp;

    @Test
    void mergesApplyInRankOrderAndPadWithEndOfText() throws Exception {
        ClipTokenizer tokenizer = tiny();
        assertEquals(77, tokenizer.maxLength());
        assertEquals(EOS, tokenizer.padId());
        TokenEncoding e = tokenizer.encode("Hello");
        int[] expected = new int[77];
        Arrays.fill(expected, EOS);
        expected[0] = BOS;
        expected[1] = HELLO;
        assertArrayEquals(expected, e.ids());
        int[] mask = new int[77];
        Arrays.fill(mask, 0, 3, 1);
        assertArrayEquals(mask, e.attentionMask());
        assertEquals(3, e.tokenCount());
        assertFalse(e.truncated());
    }

    @Test
    void lowerCasesAndCollapsesWhitespace() throws Exception {
        assertArrayEquals(new int[] {THE, CAT}, tiny().textIds("  THE \t\n  Cat   "));
    }

    @Test
    void contractionsSplitOffAsTheirOwnWords() throws Exception {
        // "it's" -> "it" + "'s"; "don't" -> "don" + "'t": 'd' = 67, "on</w>" = 526
        assertArrayEquals(new int[] {72, 339, APOSTROPHE_S, 67, 526, APOSTROPHE_T}, tiny().textIds("it's don't"));
    }

    @Test
    void digitsAreSplitOneByOne() throws Exception {
        // the merge "1 2</w>" exists but never applies: CLIP's pattern makes each digit its own word
        assertArrayEquals(new int[] {272, 273}, tiny().textIds("12"));
    }

    @Test
    void punctuationRunsStayTogetherAsOneWord() throws Exception {
        // "!!!" is one word: '!' '!' "!</w>" -> 0, 0, 256; ", " -> ",</w>" = 267
        assertArrayEquals(new int[] {HELLO, 267, 0, 0, 256}, tiny().textIds("hello, !!!"));
    }

    @Test
    void accentsAreKeptAsUtf8BytesAndComposedFirst() throws Exception {
        // é = C3 A9 -> 'Ã' '©</w>' merged by "Ã ©</w>", then "ca f", "caf Ã©</w>" -> café</w> = 536
        assertArrayEquals(new int[] {CAFE}, tiny().textIds("Café"));
        assertArrayEquals(new int[] {CAFE}, tiny().textIds("cafe\u0301"));
        // an accent on its own word: 'é' -> 'Ã' '©</w>', merged by merge 22 into "Ã©</w>" = 534
        assertArrayEquals(new int[] {534}, tiny().textIds("É"));
    }

    @Test
    void chineseCharactersAreSeparateWordsOnlyInTheSlowCleanup() throws Exception {
        List<String> slow = tiny().tokenize("中文");
        List<String> fast = tiny().withCleanup(TextCleanup.FAST).tokenize("中文");
        assertEquals(6, slow.size());
        assertEquals(6, fast.size());
        assertEquals(2, slow.stream().filter(t -> t.endsWith("</w>")).count());
        assertEquals(1, fast.stream().filter(t -> t.endsWith("</w>")).count());
    }

    @Test
    void controlCharactersAreDroppedOnlyInTheSlowCleanup() throws Exception {
        assertArrayEquals(tiny().textIds("ab"), tiny().textIds("a\u200bb\u0000"));
        assertFalse(Arrays.equals(tiny().textIds("ab"),
                tiny().withCleanup(TextCleanup.FAST).textIds("a\u200bb")));
    }

    @Test
    void specialTokensInTheTextMapToTheirIds() throws Exception {
        assertArrayEquals(new int[] {BOS, HELLO, EOS}, tiny().textIds("<|startoftext|>hello<|endoftext|>"));
    }

    @Test
    void longPromptsAreCutTo77WithEndOfTextLast() throws Exception {
        ClipTokenizer tokenizer = tiny();
        TokenEncoding fits = tokenizer.encode("a ".repeat(75));
        assertFalse(fits.truncated());
        assertEquals(77, fits.tokenCount());
        assertEquals(EOS, fits.ids()[76]);

        TokenEncoding cut = tokenizer.encode("a ".repeat(80));
        assertTrue(cut.truncated());
        assertEquals(77, cut.tokenCount());
        assertEquals(82, cut.promptTokenCount());
        int[] expected = new int[77];
        Arrays.fill(expected, A_WORD);
        expected[0] = BOS;
        expected[76] = EOS;
        assertArrayEquals(expected, cut.ids());
        assertArrayEquals(expected, tokenizer.encodeUnpadded("a ".repeat(80)).ids());
        assertEquals("a a a a a", tokenizer.truncatedText("a ".repeat(80)));
        assertEquals("", tokenizer.truncatedText("a ".repeat(75)));
    }

    @Test
    void unpaddedEncodingEndsWithEndOfText() throws Exception {
        TokenEncoding e = tiny().encodeUnpadded("the cat");
        assertArrayEquals(new int[] {BOS, THE, CAT, EOS}, e.ids());
        assertArrayEquals(new int[] {1, 1, 1, 1}, e.attentionMask());
        assertArrayEquals(new long[] {BOS, THE, CAT, EOS}, e.idsAsLongs());
    }

    @Test
    void emptyPromptIsStartAndEndOfText() throws Exception {
        assertArrayEquals(new int[] {BOS, EOS}, tiny().encodeUnpadded("   ").ids());
    }

    @Test
    void sd2TokenizerPadsWithExclamationMarkAndTreatsItAsSpecial() throws Exception {
        ClipTokenizer sd2 = ClipTokenizer.fromDirectory(resource("tiny-clip-tokenizer-sd2"));
        assertEquals(0, sd2.padId());
        int[] expected = new int[77];
        expected[0] = BOS;
        expected[1] = HELLO;
        expected[2] = 0; // the pad token "!" is an added special token, so a typed "!" is id 0, not "!</w>" (256)
        expected[3] = EOS;
        assertArrayEquals(expected, sd2.encode("hello!").ids());
        assertEquals(4, sd2.encode("hello!").tokenCount());
    }

    @Test
    void decodeReadsEndOfWordAsSpace() throws Exception {
        ClipTokenizer tokenizer = tiny();
        assertEquals("hello , world ! café", tokenizer.decode(tokenizer.encode("Hello, World! Café").ids(), true));
        assertTrue(tokenizer.decode(tokenizer.encodeUnpadded("the").ids(), false).startsWith("<|startoftext|>the"));
    }

    @Test
    void modelFolderWithTokenizerSubfolderIsAccepted() throws Exception {
        Path model = temp.resolve("model");
        Path sub = Files.createDirectories(model.resolve("tokenizer"));
        for (String name : List.of("vocab.json", "merges.txt", "tokenizer_config.json", "special_tokens_map.json")) {
            Files.copy(resource("tiny-clip-tokenizer").resolve(name), sub.resolve(name));
        }
        assertArrayEquals(new int[] {HELLO}, ClipTokenizer.fromDirectory(model).textIds("hello"));
    }

    @Test
    void missingFilesAreNamed() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("empty"));
        GenAiException e = assertThrows(GenAiException.class, () -> ClipTokenizer.fromDirectory(dir));
        assertTrue(e.getMessage().contains("vocab.json and merges.txt"), e.getMessage());
        Files.copy(resource("tiny-clip-tokenizer").resolve("vocab.json"), dir.resolve("vocab.json"));
        e = assertThrows(GenAiException.class, () -> ClipTokenizer.fromDirectory(dir));
        assertTrue(e.getMessage().contains("lacks merges.txt"), e.getMessage());
        e = assertThrows(GenAiException.class, () -> ClipTokenizer.fromDirectory(temp.resolve("nowhere")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void malformedConfigurationIsReported() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("bad"));
        Files.copy(resource("tiny-clip-tokenizer").resolve("vocab.json"), dir.resolve("vocab.json"));
        Files.copy(resource("tiny-clip-tokenizer").resolve("merges.txt"), dir.resolve("merges.txt"));
        Files.writeString(dir.resolve("special_tokens_map.json"), "{\"pad_token\": \"<pad>\"}");
        GenAiException e = assertThrows(GenAiException.class, () -> ClipTokenizer.fromDirectory(dir));
        assertTrue(e.getMessage().contains("'<pad>'"), e.getMessage());
        Files.writeString(dir.resolve("special_tokens_map.json"), "{not json", StandardCharsets.UTF_8);
        e = assertThrows(GenAiException.class, () -> ClipTokenizer.fromDirectory(dir));
        assertTrue(e.getMessage().contains("special_tokens_map.json is not valid JSON"), e.getMessage());
        Files.delete(dir.resolve("special_tokens_map.json"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"model_max_length\": 1}");
        e = assertThrows(GenAiException.class, () -> ClipTokenizer.fromDirectory(dir));
        assertTrue(e.getMessage().contains("model_max_length"), e.getMessage());
    }

    @Test
    void unsetModelMaxLengthFallsBackTo77() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("unset"));
        Files.copy(resource("tiny-clip-tokenizer").resolve("vocab.json"), dir.resolve("vocab.json"));
        Files.copy(resource("tiny-clip-tokenizer").resolve("merges.txt"), dir.resolve("merges.txt"));
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"model_max_length\": 1000000000000000019884624838656}");
        assertEquals(77, ClipTokenizer.fromDirectory(dir).maxLength());
    }

    private static ClipTokenizer tiny() throws URISyntaxException {
        return ClipTokenizer.fromDirectory(resource("tiny-clip-tokenizer"));
    }

    private static Path resource(String name) throws URISyntaxException {
        return Paths.get(ClipTokenizerTest.class.getResource(name).toURI());
    }
}
