package org.ijgenai.core.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a CLIP tokenizer cleans a piece of text and cuts it into the words that BPE then encodes. Two flavours
 * of transformers' {@code CLIPTokenizer} exist and agree on ordinary prompts; they differ on control
 * characters, CJK ideographs and a few exotic case mappings.
 */
public enum TextCleanup {

    /**
     * transformers' Python {@code CLIPTokenizer} (≤ 4.x) when ftfy is not installed: BERT's {@code BasicTokenizer}
     * with {@code strip_accents=False, do_split_on_punc=False} (drops control, format, private-use and
     * unassigned characters, NUL and U+FFFD; puts spaces around CJK ideographs; NFC; splits on whitespace;
     * lower-cases each word; keeps accents), then CLIP's split pattern, matched case-insensitively.
     */
    SLOW_WITHOUT_FTFY,

    /**
     * The {@code tokenizers}-backed {@code CLIPTokenizer} of transformers 5 (and {@code CLIPTokenizerFast}):
     * NFC, runs of Unicode white space to one space, per-character lower-casing, CLIP's split pattern, then the
     * byte-level pre-tokenizer's GPT-2 pattern within each piece.
     */
    FAST;

    /** CLIP's split pattern, from OpenAI's simple_tokenizer and transformers. */
    private static final String CLIP_PATTERN =
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";
    private static final Pattern CLIP_SPLIT_IGNORING_CASE = Pattern.compile(CLIP_PATTERN,
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern CLIP_SPLIT = Pattern.compile(CLIP_PATTERN, Pattern.UNICODE_CHARACTER_CLASS);
    /** The pattern of the tokenizers library's ByteLevel pre-tokenizer (GPT-2's), applied inside each piece. */
    private static final Pattern GPT2_SPLIT = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WHITE_SPACE_RUN = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    /** Cleans a piece of text (one that holds no added special token) and returns its words, in order. */
    public List<String> words(String text) {
        if (this == SLOW_WITHOUT_FTFY) {
            return findAll(CLIP_SPLIT_IGNORING_CASE, basicTokenizerClean(text));
        }
        String normalized = lowerCaseEachCharacter(
                WHITE_SPACE_RUN.matcher(Normalizer.normalize(text, Normalizer.Form.NFC)).replaceAll(" "));
        List<String> out = new ArrayList<>();
        for (String piece : findAll(CLIP_SPLIT, normalized)) {
            out.addAll(findAll(GPT2_SPLIT, piece));
        }
        return out;
    }

    private static List<String> findAll(Pattern pattern, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /**
     * BERT's BasicTokenizer as CLIP configures it, joined back with single spaces: clean, space out CJK, NFC,
     * split on white space, lower-case each word.
     */
    static String basicTokenizerClean(String text) {
        StringBuilder cleaned = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
            }
            if (isBertWhitespace(cp)) {
                cleaned.append(' ');
            } else if (isCjkIdeograph(cp)) {
                cleaned.append(' ').appendCodePoint(cp).append(' ');
            } else {
                cleaned.appendCodePoint(cp);
            }
        });
        String normalized = Normalizer.normalize(cleaned, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(normalized.length());
        for (String word : splitOnPythonWhitespace(normalized)) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(word.toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    /** Python's {@code str.split()}: runs of characters for which {@code str.isspace()} is true separate words. */
    private static List<String> splitOnPythonWhitespace(String text) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            boolean space = isPythonSpace(cp);
            if (space && start >= 0) {
                words.add(text.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            words.add(text.substring(start));
        }
        return words;
    }

    /**
     * Python's {@code str.isspace()}: bidirectional class WS, B or S, or category Zs. After the clean-up above
     * only space, the line and paragraph separators and Zs characters can still be present.
     */
    private static boolean isPythonSpace(int cp) {
        if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F) || cp == 0x85) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** transformers' {@code _is_whitespace}: space, tab, newline, carriage return, or category Zs. */
    private static boolean isBertWhitespace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    /** transformers' {@code _is_control}: any category C (Cc, Cf, Cs, Co, Cn) except tab, newline and CR. */
    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.SURROGATE:
            case Character.PRIVATE_USE:
            case Character.UNASSIGNED:
                return true;
            default:
                return false;
        }
    }

    /** BERT's "Chinese character": the CJK Unified Ideographs blocks and their extensions and compatibility forms. */
    private static boolean isCjkIdeograph(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /** The tokenizers library's Lowercase normalizer: each character's full lower-case mapping, out of context. */
    private static String lowerCaseEachCharacter(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                out.append((char) (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
            } else {
                out.append(new String(Character.toChars(cp)).toLowerCase(Locale.ROOT));
            }
        });
        return out.toString();
    }
}
