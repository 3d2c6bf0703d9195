package org.ijgenai.core.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CLIP's byte-level byte-pair encoder: maps a word's UTF-8 bytes to printable characters (GPT-2's byte
 * encoder), marks the word's end with {@code </w>}, then applies the merges in rank order.
 */
final class BytePairEncoder {

    static final String END_OF_WORD = "</w>";
    private static final int CACHE_LIMIT = 20_000;

    private static final char[] BYTE_TO_CHAR = byteToChar();
    private static final int[] CHAR_TO_BYTE = charToByte();

    /** Merge ranks keyed by "first second" (symbols never hold a space: the byte encoder maps it to Ġ). */
    private final Map<String, Integer> ranks;
    private final Map<String, List<String>> cache = new ConcurrentHashMap<>();

    BytePairEncoder(Map<String, Integer> ranks) {
        this.ranks = ranks;
    }

    /** The BPE symbols of one word, the last carrying {@code </w>}. */
    List<String> encode(String word) {
        List<String> cached = cache.get(word);
        if (cached != null) {
            return cached;
        }
        List<String> symbols = merge(byteEncode(word));
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(word, symbols);
        return symbols;
    }

    private List<String> merge(String encoded) {
        List<String> word = new ArrayList<>(encoded.length());
        for (int i = 0; i < encoded.length() - 1; i++) {
            word.add(String.valueOf(encoded.charAt(i)));
        }
        word.add(encoded.charAt(encoded.length() - 1) + END_OF_WORD);
        while (word.size() > 1) {
            // the lowest-ranked pair present anywhere in the word
            int bestRank = Integer.MAX_VALUE;
            String first = null;
            String second = null;
            for (int i = 0; i < word.size() - 1; i++) {
                Integer rank = ranks.get(word.get(i) + ' ' + word.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    first = word.get(i);
                    second = word.get(i + 1);
                }
            }
            if (first == null) {
                break;
            }
            // merge every occurrence, scanning left to right so overlapping pairs merge leftmost first
            List<String> merged = new ArrayList<>(word.size());
            for (int i = 0; i < word.size(); i++) {
                if (i < word.size() - 1 && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i++;
                } else {
                    merged.add(word.get(i));
                }
            }
            word = merged;
        }
        return List.copyOf(word);
    }

    /** GPT-2's byte encoder applied to the word's UTF-8 bytes. */
    static String byteEncode(String word) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(out);
    }

    /**
     * The inverse of {@link #byteEncode} over a token string; characters outside the byte alphabet (which only
     * added tokens can hold) are kept as their own UTF-8.
     */
    static void byteDecode(String token, ByteArrayOutputStream out) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            int b = c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
            if (b >= 0) {
                out.write(b);
            } else {
                byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(raw, 0, raw.length);
            }
        }
    }

    /**
     * Bytes that are printable Latin-1 ('!'…'~', '¡'…'¬', '®'…'ÿ') map to themselves; the others, in byte order,
     * to U+0100 onwards, so that no symbol is white space or a control character.
     */
    private static char[] byteToChar() {
        char[] map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = (char) (printable ? b : next++);
        }
        return map;
    }

    private static int[] charToByte() {
        int[] inverse = new int[512];
        Arrays.fill(inverse, -1);
        for (int b = 0; b < 256; b++) {
            inverse[BYTE_TO_CHAR[b]] = b;
        }
        return inverse;
    }
}
