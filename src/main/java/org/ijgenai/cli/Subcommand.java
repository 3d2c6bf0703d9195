package org.ijgenai.cli;

/** One {@code bin/ij-genai} subcommand, a thin front end over core calls. */
public interface Subcommand {

    /** The word that selects it, e.g. {@code diffuse}. */
    String name();

    /** A one-line usage synopsis shown by {@code bin/ij-genai help}. */
    String usage();

    /**
     * What {@code --help} prints after the usage line: one line per option, {@code "  --name VALUE  what it is
     * (default: …)"}. The options named here are the only ones the subcommand accepts.
     */
    default String help() {
        return "";
    }

    /**
     * Runs the subcommand.
     *
     * @return the process exit code
     */
    int run(CliArgs args) throws Exception;
}
