package org.ijgenai.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files one CLI run reads and writes, checked before any work: an output may never be an input or another
 * output of the same run, so a run can never overwrite the picture it was given.
 */
final class OutputPaths {

    private record Named(String option, Path path) {}

    private final List<Named> inputs = new ArrayList<>();
    private final List<Named> outputs = new ArrayList<>();

    /** Adds an input file (ignored when null). */
    OutputPaths input(String option, Path path) {
        if (path != null) {
            inputs.add(new Named(option, path));
        }
        return this;
    }

    /** Adds an output file (ignored when null). */
    OutputPaths output(String option, Path path) {
        if (path != null) {
            outputs.add(new Named(option, path));
        }
        return this;
    }

    /**
     * Adds the images of {@code --out}: one TIFF stack, or {@code count} PNGs, numbered when several.
     */
    OutputPaths images(Path output, int count) {
        if (ImageFiles.isTiff(output) || count <= 1) {
            return output("--out", output);
        }
        for (int i = 1; i <= count; i++) {
            output("--out", ImageFiles.numbered(output, i));
        }
        return this;
    }

    /** Adds the two step stacks of {@code --steps-out} (ignored when null): STACK.tif and STACK-x0.tif. */
    OutputPaths steps(Path stepsOut) {
        if (stepsOut != null) {
            output("--steps-out", stepsOut).output("--steps-out (x0)", ImageFiles.suffixed(stepsOut, "-x0"));
        }
        return this;
    }

    /**
     * Refuses an output that is the same file as an input or as another output.
     *
     * @throws UsageException naming both options and the file
     */
    void check() {
        for (int i = 0; i < outputs.size(); i++) {
            Named output = outputs.get(i);
            for (Named input : inputs) {
                if (same(output.path(), input.path())) {
                    throw new UsageException(output.option() + " " + output.path() + " is the input file of "
                            + input.option() + "; write the result to another file (an output never replaces an"
                            + " input)");
                }
            }
            for (int j = 0; j < i; j++) {
                Named other = outputs.get(j);
                if (same(output.path(), other.path())) {
                    throw new UsageException(output.option() + " and " + other.option() + " both name "
                            + output.path() + "; give each output its own file");
                }
            }
        }
    }

    // Same file by name after normalising, or by identity when both exist (links, "./a" and "a", case folding).
    private static boolean same(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
