package org.ijgenai.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed arguments of one CLI subcommand: {@code --key value} options (repeatable), {@code --flag} switches
 * and positional words. Every accessor names the option in its error message.
 */
public final class CliArgs {

    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final Set<String> consumed = new java.util.HashSet<>();

    /**
     * Parses {@code args}.
     *
     * @param flags the option names (without dashes) that take no value
     */
    public CliArgs(List<String> args, Set<String> flags) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--") && arg.length() > 2) {
                String key = arg.substring(2);
                String value;
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                } else if (flags.contains(key)) {
                    value = "true";
                } else {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("option --" + key + " needs a value");
                    }
                    // "--prompt --seed 3" forgot the prompt; taking "--seed" as its text would hide that.
                    if (looksLikeOption(args.get(i + 1))) {
                        throw new UsageException("option --" + key + " needs a value, but " + args.get(i + 1)
                                + " follows it (write --" + key + "=TEXT for a value that starts with --, or --"
                                + key + " \"\" for an empty one)");
                    }
                    value = args.get(++i);
                }
                options.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            } else {
                positional.add(arg);
            }
        }
    }

    private static boolean looksLikeOption(String arg) {
        return arg.length() > 2 && arg.startsWith("--") && Character.isLetter(arg.charAt(2));
    }

    /** Whether the option was given. */
    public boolean has(String key) {
        consumed.add(key);
        return options.containsKey(key);
    }

    /** Whether the flag was given. */
    public boolean flag(String key) {
        return has(key) && Boolean.parseBoolean(options.get(key).get(options.get(key).size() - 1));
    }

    /** The last value of the option, or {@code fallback} when absent. */
    public String get(String key, String fallback) {
        consumed.add(key);
        List<String> values = options.get(key);
        return values == null ? fallback : values.get(values.size() - 1);
    }

    /** The value of a required option. */
    public String require(String key) {
        String value = get(key, null);
        if (value == null) {
            throw new UsageException("missing required option --" + key);
        }
        return value;
    }

    /** Every value given for a repeatable option, in order. */
    public List<String> all(String key) {
        consumed.add(key);
        return Collections.unmodifiableList(options.getOrDefault(key, List.of()));
    }

    /** An integer option. */
    public int getInt(String key, int fallback) {
        String value = get(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects an integer, got '" + value + "'");
        }
    }

    /** A long integer option. */
    public long getLong(String key, long fallback) {
        String value = get(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects an integer, got '" + value + "'");
        }
    }

    /** A floating-point option. */
    public double getDouble(String key, double fallback) {
        String value = get(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + key + " expects a number, got '" + value + "'");
        }
    }

    /** A path option, or null when absent. */
    public Path getPath(String key) {
        String value = get(key, null);
        return value == null ? null : Paths.get(value);
    }

    /** A required path option. */
    public Path requirePath(String key) {
        return Paths.get(require(key));
    }

    /** The option names given, without dashes, in order. */
    public Set<String> optionNames() {
        return Collections.unmodifiableSet(options.keySet());
    }

    /** The positional words. */
    public List<String> positional() {
        return Collections.unmodifiableList(positional);
    }

    /**
     * Fails on options that no accessor asked for, so a misspelt option is reported instead of ignored. Call it
     * after reading every option.
     */
    public void rejectUnknown() {
        for (String key : options.keySet()) {
            if (!consumed.contains(key)) {
                throw new UsageException("unknown option --" + key);
            }
        }
    }
}
