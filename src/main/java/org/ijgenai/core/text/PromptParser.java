package org.ijgenai.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ijgenai.core.GenAiException;

/**
 * The attention syntax of prompts, exact to A1111's {@code prompt_parser.parse_prompt_attention}: {@code (a)}
 * multiplies a's weight by 1.1, {@code [a]} divides it by 1.1, {@code (a:1.5)} multiplies it by 1.5, {@code \(}
 * {@code \)} {@code \[} {@code \]} {@code \\} are literal characters, brackets left open apply to the end, a
 * closing bracket with no opening one is text, and {@code BREAK} (a whole word, outside brackets) is the
 * chunk-break marker. Adjacent runs of equal weight are merged.
 */
public final class PromptParser {

    /**
     * Python's {@code \s} on str patterns: Unicode white space plus the separators U+001C to U+001F, which
     * {@code str.isspace} counts and Java's {@code \s} does not.
     */
    private static final String SPACE = "[\\s\\x1c-\\x1f]";
    /** Python's {@code \w} on str patterns: letters, numbers (any numeric category) and the underscore. */
    private static final String WORD = "[\\p{L}\\p{N}_]";

    /** A1111's {@code re_attention}, alternative for alternative, in the same order. */
    private static final Pattern ATTENTION = Pattern.compile(String.join("|",
            "\\\\\\(",
            "\\\\\\)",
            "\\\\\\[",
            "\\\\]",
            "\\\\\\\\",
            "\\\\",
            "\\(",
            "\\[",
            ":" + SPACE + "*([+-]?[.\\p{Nd}]+)" + SPACE + "*\\)",
            "\\)",
            "]",
            "[^\\\\()\\[\\]:]+",
            ":"), Pattern.UNICODE_CHARACTER_CLASS);

    /** A1111's {@code re_break}: {@code \s*\bBREAK\b\s*}, with Python's word boundary. */
    private static final Pattern BREAK = Pattern.compile(
            SPACE + "*(?<!" + WORD + ")BREAK(?!" + WORD + ")" + SPACE + "*", Pattern.UNICODE_CHARACTER_CLASS);

    private static final double ROUND_MULTIPLIER = 1.1;
    private static final double SQUARE_MULTIPLIER = 1 / 1.1;

    private PromptParser() {
    }

    /**
     * Parses a prompt into runs of text and weight.
     *
     * @return at least one run ({@code ("", 1.0)} for an empty prompt)
     * @throws GenAiException when a {@code (…:w)} weight is not a number (such as {@code 1.2.3}), where A1111
     *         fails with Python's ValueError
     */
    public static List<WeightedText> parse(String prompt) {
        List<String> texts = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<Integer> round = new ArrayList<>();
        List<Integer> square = new ArrayList<>();
        Matcher m = ATTENTION.matcher(prompt);
        while (m.find()) {
            String text = m.group();
            String weight = m.group(1);
            if (text.startsWith("\\")) {
                texts.add(text.substring(1));
                weights.add(1.0);
            } else if (text.equals("(")) {
                round.add(texts.size());
            } else if (text.equals("[")) {
                square.add(texts.size());
            } else if (weight != null && !round.isEmpty()) {
                multiplyFrom(weights, round.remove(round.size() - 1), number(weight, prompt));
            } else if (text.equals(")") && !round.isEmpty()) {
                multiplyFrom(weights, round.remove(round.size() - 1), ROUND_MULTIPLIER);
            } else if (text.equals("]") && !square.isEmpty()) {
                multiplyFrom(weights, square.remove(square.size() - 1), SQUARE_MULTIPLIER);
            } else {
                String[] parts = BREAK.split(text, -1);
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) {
                        texts.add(WeightedText.BREAK.text());
                        weights.add(WeightedText.BREAK.weight());
                    }
                    texts.add(parts[i]);
                    weights.add(1.0);
                }
            }
        }
        for (int position : round) {
            multiplyFrom(weights, position, ROUND_MULTIPLIER);
        }
        for (int position : square) {
            multiplyFrom(weights, position, SQUARE_MULTIPLIER);
        }
        if (texts.isEmpty()) {
            texts.add("");
            weights.add(1.0);
        }
        // merge runs of identical weights, as A1111 does (BREAK markers included, like any run)
        List<WeightedText> out = new ArrayList<>();
        StringBuilder run = new StringBuilder(texts.get(0));
        double runWeight = weights.get(0);
        for (int i = 1; i < texts.size(); i++) {
            if (weights.get(i) == runWeight) {
                run.append(texts.get(i));
            } else {
                out.add(new WeightedText(run.toString(), runWeight));
                run.setLength(0);
                run.append(texts.get(i));
                runWeight = weights.get(i);
            }
        }
        out.add(new WeightedText(run.toString(), runWeight));
        return out;
    }

    private static void multiplyFrom(List<Double> weights, int start, double multiplier) {
        for (int p = start; p < weights.size(); p++) {
            weights.set(p, weights.get(p) * multiplier);
        }
    }

    /** Python's {@code float()} of the captured {@code [+-]?[.\d]+}, any Unicode decimal digit included. */
    private static double number(String weight, String prompt) {
        StringBuilder ascii = new StringBuilder(weight.length());
        weight.codePoints().forEach(c -> ascii.append(Character.isDigit(c) ? (char) ('0' + Character.digit(c, 10))
                : (char) c));
        String text = ascii.toString();
        if (text.chars().filter(c -> c == '.').count() > 1 || text.replaceAll("[+.-]", "").isEmpty()) {
            throw new GenAiException("prompt weight '" + weight + "' is not a number, in \"" + abbreviate(prompt)
                    + "\" (write it like (word:1.3))");
        }
        return Double.parseDouble(text);
    }

    private static String abbreviate(String prompt) {
        return prompt.length() <= 120 ? prompt : prompt.substring(0, 117) + "...";
    }
}
