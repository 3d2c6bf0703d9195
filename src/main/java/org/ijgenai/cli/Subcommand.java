package org.ijgenai.cli;

/** One {@code bin/ij-genai} subcommand, a thin front end over core calls. */
public interface Subcommand {

    /** The word that selects it, e.g. {@code diffuse}. */
    String name();

    /** A one-line usage synopsis shown by {@code bin/ij-genai help}. */
    String usage();

    /**
     * Runs the subcommand.
     *
     * @return the process exit code
     */
    int run(CliArgs args) throws Exception;
}
