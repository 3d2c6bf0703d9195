package org.ijgenai.imagej;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import ij.Macro;
import ij.macro.Interpreter;

/** Runs one macro file in batch mode and turns its outcome into a process exit code. */
final class MacroFileRunner {

    private MacroFileRunner() {}

    /**
     * Runs the macro file with the given argument on the calling thread.
     *
     * @return 0 when the macro ran to its end, 1 when it stopped on an error (a macro error, an unknown command,
     *     or a command that aborted it) or the file cannot be read
     */
    static int run(String file, String argument, PrintStream err) {
        Path path = Paths.get(file).toAbsolutePath();
        String code;
        try {
            code = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("ij-genai macro: cannot read macro file " + path + " (" + e.getMessage() + ")");
            return 1;
        }
        // ImageJ's Macro_Runner names the thread so that getOptions() and abort() recognise a running macro.
        Thread.currentThread().setName("Run$_" + path.getFileName() + " Macro$");
        Interpreter.batchMode = true;
        Interpreter interpreter = new Interpreter();
        try {
            interpreter.run(code, argument);
        } catch (RuntimeException e) {
            if (!Macro.MACRO_CANCELED.equals(e.getMessage())) {
                String hint = e instanceof java.awt.HeadlessException
                        ? " (the macro opened something that needs a window, e.g. a text file or a non-ij-genai"
                                + " dialog; run it with a display: bin/ij-genai -batch FILE.ijm)"
                        : "";
                err.println("ij-genai macro: " + path.getFileName() + " failed: " + e + hint);
                return 1;
            }
            if (!interpreter.wasError()) {
                // A command ended the macro after reporting why (open()'s "File not found", for one); headless
                // nobody can press Esc, so "cancelled" would only mislead.
                err.println(stoppedByCommand(path.getFileName().toString(), interpreter.getLineNumber()));
                return 1;
            }
        }
        if (interpreter.wasError()) {
            err.println("ij-genai macro: " + path.getFileName() + " stopped on an error"
                    + (interpreter.getErrorMessage() == null ? "" : ": " + interpreter.getErrorMessage()));
            return 1;
        }
        return 0;
    }

    /** The message for a macro that a command ended (without a macro error) at the given line. */
    static String stoppedByCommand(String file, int line) {
        return "ij-genai macro: " + file + " stopped" + (line > 0 ? " at line " + line : "")
                + ": a command ended it (its message is above); relative paths are read from the working"
                + " directory, " + Paths.get("").toAbsolutePath();
    }
}
