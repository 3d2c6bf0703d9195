package org.ijgenai.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.Offline;
import org.ijgenai.core.progress.CancelledException;

/**
 * The entry point of {@code bin/ij-genai}: dispatches to a {@link Subcommand}, prints errors as one line and
 * returns a non-zero exit code for them.
 */
public final class Main {

    static {
        // Before any DJL class can load.
        Offline.ensure();
    }

    private Main() {}

    /** The registered subcommands, in the order {@code help} lists them. */
    static Map<String, Subcommand> subcommands() {
        Map<String, Subcommand> map = new LinkedHashMap<>();
        for (Subcommand command : List.<Subcommand>of(
                // Each feature adds its subcommand here.
                new ModelsCommand(),
                new SegmentSubcommand(),
                new DiffuseCommand(),
                new DemoCommand(),
                new StyleCommand(),
                new GenerateCommand(false),
                new GenerateCommand(true),
                new WalkCommand(),
                new GridCommand(),
                new InpaintCommand(false),
                new InpaintCommand(true),
                new TokenizeCommand(),
                new AttentionCommand(),
                new TextAttentionCommand(),
                new GanWalkCommand(),
                new DevicesCommand(),
                new ClipCommand()
        )) {
            map.put(command.name(), command);
        }
        return map;
    }

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the CLI without exiting, for tests and for the launcher's in-process use. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, Subcommand> commands = subcommands();
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.println("usage: ij-genai <command> [options]");
            out.println("  (no command)           start ImageJ with the plugin installed (needs a display)");
            out.println("  macro FILE.ijm [ARG]   run an ImageJ macro headless (exit code 1 if it fails)");
            for (Subcommand command : commands.values()) {
                out.println("  " + command.usage());
            }
            return args.length == 0 ? 2 : 0;
        }
        Subcommand command = commands.get(args[0]);
        if (command == null) {
            err.println("ij-genai: unknown command '" + args[0] + "'; try 'ij-genai help'");
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println("usage: ij-genai " + command.usage());
            if (!command.help().isEmpty()) {
                out.println();
                out.print(command.help());
            }
            return 0;
        }
        try {
            CliArgs parsed = new CliArgs(rest, flagsOf(command));
            rejectUnknownOptions(command, parsed);
            return command.run(parsed);
        } catch (UsageException e) {
            err.println("ij-genai " + command.name() + ": " + e.getMessage());
            err.println("usage: ij-genai " + command.usage());
            return 2;
        } catch (GenAiException | IllegalArgumentException e) {
            err.println("ij-genai " + command.name() + ": " + e.getMessage());
            if (Boolean.getBoolean("ijgenai.debug")) {
                e.printStackTrace(err);
            }
            return 1;
        } catch (CancelledException e) {
            err.println("ij-genai " + command.name() + ": cancelled");
            return 130;
        } catch (Exception | OutOfMemoryError e) {
            err.println("ij-genai " + command.name() + ": " + describe(e));
            if (Boolean.getBoolean("ijgenai.debug")) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    /**
     * Refuses an option the subcommand's {@code --help} does not list, before the subcommand runs, so that
     * {@code --promt} is reported as unknown rather than as a missing {@code --prompt}.
     */
    static void rejectUnknownOptions(Subcommand command, CliArgs args) {
        Set<String> known = new LinkedHashSet<>();
        Matcher option = OPTION.matcher(command.help() + " " + command.usage());
        while (option.find()) {
            known.add(option.group(1));
        }
        known.addAll(flagsOf(command));
        for (String name : args.optionNames()) {
            if (!known.contains(name)) {
                String closest = null;
                int best = 3;
                for (String candidate : known) {
                    int distance = editDistance(name, candidate);
                    if (distance < best) {
                        best = distance;
                        closest = candidate;
                    }
                }
                throw new UsageException("unknown option --" + name
                        + (closest != null ? "; did you mean --" + closest + "?" : "")
                        + " ('ij-genai " + command.name() + " --help' lists the options)");
            }
        }
    }

    private static final Pattern OPTION = Pattern.compile("--([a-z0-9][a-z0-9-]*)");

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static java.util.Set<String> flagsOf(Subcommand command) {
        return command instanceof FlagAware f ? f.flags() : java.util.Set.of();
    }

    private static String describe(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory; try a smaller image or size, or more -Xmx (JAVA_OPTS)";
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** A subcommand with options that take no value. */
    public interface FlagAware {

        /** The option names (without dashes) that are switches. */
        java.util.Set<String> flags();
    }
}
