package org.ijgenai.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs child processes for the integration tests: always with a timeout, output captured, environment controlled. */
public final class Processes {

    private Processes() {}

    /** The outcome of a finished (or killed) process. */
    public record Result(int exitCode, String output, boolean timedOut, List<String> command) {

        /** A one-paragraph description for assertion messages. */
        public String describe() {
            return "command " + command + " exited " + (timedOut ? "(killed after timeout) " : "") + exitCode
                    + ", output:\n" + output;
        }
    }

    /**
     * Runs {@code command} in {@code dir} and waits at most {@code timeoutSeconds}; stdout and stderr are merged.
     *
     * @param environment variables to set; a null value removes the variable (e.g. DISPLAY)
     */
    public static Result run(List<String> command, Path dir, Map<String, String> environment, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Path log = Files.createTempFile("ij-genai-process", ".log");
        builder.redirectOutput(log.toFile());
        for (Map.Entry<String, String> entry : environment.entrySet()) {
            if (entry.getValue() == null) {
                builder.environment().remove(entry.getKey());
            } else {
                builder.environment().put(entry.getKey(), entry.getValue());
            }
        }
        Process process = builder.start();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(finished ? process.exitValue() : -1, output, !finished, List.copyOf(command));
    }

    /** Whether an executable is on the PATH. */
    public static boolean onPath(String executable) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Paths.get(dir, executable))) {
                return true;
            }
        }
        return false;
    }

    /** Skips the calling test, saying what to install, when an executable is missing. */
    public static void requireTool(String executable, String debianPackage) {
        assumeTrue(onPath(executable), executable + " is not installed (Debian package " + debianPackage
                + "; .ci/run installs it); skipping");
    }

    /** The java launcher of the running JVM. */
    public static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A command prefixed with {@code xvfb-run -a} (a private X server on a free display). */
    public static List<String> underXvfb(List<String> command) {
        List<String> out = new ArrayList<>(List.of("xvfb-run", "-a", "-s", "-screen 0 1280x1024x24"));
        out.addAll(command);
        return out;
    }
}
