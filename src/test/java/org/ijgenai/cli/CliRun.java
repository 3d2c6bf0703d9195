package org.ijgenai.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The CLI entry point run in-process with its standard output and error captured, as the launcher runs it. */
final class CliRun {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs {@code args}; subcommands print to the standard streams, so those are captured too. */
    int run(String... args) {
        out.reset();
        err.reset();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(o);
        System.setErr(e);
        try {
            return Main.run(args, o, e);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    /** What the last run printed to standard output. */
    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What the last run printed to standard error. */
    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
