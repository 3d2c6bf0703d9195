package org.ijgenai.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.ijgenai.testing.Dist;
import org.ijgenai.testing.PluginsConfig;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * For every command in {@code plugins.config}: ImageJ's Recorder, in a real GUI under Xvfb, records the command
 * when a user runs it from the menu and presses OK; the recorded line then replays through
 * {@code bin/ij-genai macro} with no display at all — inside {@code unshare -n} and under an {@code strace}
 * connect trace where those exist — and in ImageJ's {@code -batch} mode under Xvfb; the registry's check holds
 * after both replays.
 */
class CommandRecordingIT {

    private static final int RECORD_TIMEOUT_S = 180;
    private static final int REPLAY_TIMEOUT_S = 180;
    private static final Pattern KEY = Pattern.compile("(?:^|\\s)([A-Za-z0-9_]+)(?==|\\s|$)");

    @TempDir
    Path tmp;

    @Test
    void everyCommandInPluginsConfigHasARegistryRowAndNoRowIsStale() throws Exception {
        Set<String> declared = CommandRegistry.pluginsConfigCommands(Dist.dir().resolve("plugins/ij_genai.jar"));
        assertFalse(declared.isEmpty(), "plugins.config declares no command");
        Set<String> registered = new LinkedHashSet<>();
        for (CommandRegistry.Row row : CommandRegistry.rows()) {
            registered.add(row.command());
        }
        Set<String> missing = new TreeSet<>(declared);
        missing.removeAll(registered);
        assertEquals(Set.of(), missing, "commands in plugins.config without a row in"
                + " src/test/resources/commands/registry.tsv (see docs/commands-testing.md)");
        Set<String> stale = new TreeSet<>(registered);
        stale.removeAll(declared);
        assertEquals(Set.of(), stale, "registry.tsv rows for commands that plugins.config does not declare");
    }

    @Test
    void pluginsConfigNamesAreUniqueAsciiAndUnderGenerativeAi() throws Exception {
        List<String> names = new ArrayList<>();
        for (PluginsConfig.Entry entry : PluginsConfig.repository()) {
            // Separators too: ImageJ inserts a deeper submenu at the top, above the main commands.
            assertEquals("Plugins>Generative AI", entry.menu(), "menu path of: " + entry);
            if (!entry.separator()) {
                names.add(entry.command());
            }
        }
        assertEquals(names.size(), new LinkedHashSet<>(names).size(), "duplicate command names: " + names);
        for (String name : names) {
            assertTrue(name.chars().allMatch(c -> c < 128), "non-ASCII command name: " + name);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRegisteredCommandIsRecordedUnderXvfbAndReplaysHeadless() throws Exception {
        List<CommandRegistry.Row> rows = CommandRegistry.rows();
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.toString(), () -> recordAndReplay(row)));
    }

    private void recordAndReplay(CommandRegistry.Row row) throws Exception {
        Processes.requireTool("xvfb-run", "xvfb and xauth");
        Path dist = Dist.dir();
        Path work = Files.createTempDirectory(tmp, "row" + row.line());
        String setup = row.setupFor(Dist.samples(), work);
        Path setupFile = CommandRegistry.write(work, "setup.ijm", setup + "\n");
        Path recordedFile = work.resolve("recorded.ijm");
        Path home = Files.createDirectories(work.resolve("home"));

        // 1. A user runs the command from the menu of a real ImageJ (under Xvfb) with the Recorder open.
        List<String> driver = List.of(Processes.java(), "-Duser.home=" + home, "-Dplugins.dir=" + dist,
                "-Dai.djl.offline=true", "-cp",
                Paths.get("target/test-classes").toAbsolutePath() + ":" + dist.resolve("lib/ij.jar"),
                "org.ijgenai.testing.RecorderDriver", row.command(), setupFile.toString(), row.dialog(),
                recordedFile.toString());
        Processes.Result recording = Processes.run(Processes.underXvfb(driver), work, Map.of(), RECORD_TIMEOUT_S);
        assertEquals(0, recording.exitCode(), "recording " + row + " under Xvfb failed: " + recording.describe());
        String recorded = Files.readString(recordedFile, StandardCharsets.UTF_8).trim();
        assertTrue(recorded.startsWith("run(\"" + row.command() + "\", \"")
                || recorded.equals("run(\"" + row.command() + "\");"), "recorded line: " + recorded);
        assertNoKeyIsASuffixOfAnother(row, recorded);

        // 2. The recorded line replays with no display at all.
        String check = "if (" + row.check() + ") print(\"REGISTRY CHECK PASSED\");\n"
                + "else exit(\"REGISTRY CHECK FAILED: " + row.check().replace("\"", "'") + "\");\n";
        Path replay = CommandRegistry.write(work, "replay.ijm", setup + "\n" + recorded + "\n" + check);
        Map<String, String> noDisplay = new HashMap<>();
        noDisplay.put("DISPLAY", null);
        noDisplay.put("HOME", home.toString());
        // Offline too: inside an empty network namespace and with every connect() traced, where the tools exist.
        List<String> command = new ArrayList<>();
        if (Processes.onPath("unshare") && Processes.run(List.of("unshare", "-n", "true"), work, Map.of(), 30)
                .exitCode() == 0) {
            command.addAll(List.of("unshare", "-n"));
        }
        Path trace = work.resolve("replay.trace");
        if (Processes.onPath("strace")) {
            command.addAll(List.of("strace", "-f", "-e", "trace=connect", "-o", trace.toString()));
        }
        command.addAll(List.of(dist.resolve("bin/ij-genai").toString(), "macro", replay.toString()));
        Processes.Result replayed = Processes.run(command, work, noDisplay, REPLAY_TIMEOUT_S);
        assertEquals(0, replayed.exitCode(), "headless replay of " + recorded + " failed: " + replayed.describe());
        assertTrue(replayed.output().contains("REGISTRY CHECK PASSED"), "check '" + row.check()
                + "' after replaying " + recorded + ": " + replayed.describe());
        if (Files.exists(trace)) {
            assertEquals(List.of(), OfflineIT.outboundConnects(trace), row + ": outbound connect() calls");
        }
        if (!row.expect().isEmpty()) {
            assertTrue(replayed.output().contains(row.expect()), "the replay's output must contain '"
                    + row.expect() + "': " + replayed.describe());
        }

        // 3. The same macro in batch mode on a display: ImageJ's own -batch, plugin loaded from plugins/.
        Map<String, String> display = new HashMap<>();
        display.put("HOME", home.toString());
        Processes.Result batch = Processes.run(Processes.underXvfb(List.of(dist.resolve("bin/ij-genai").toString(),
                "-batch", replay.toString())), work, display, REPLAY_TIMEOUT_S);
        assertFalse(batch.timedOut(), "-batch replay of " + recorded + " under Xvfb hung (a modal dialog?): "
                + batch.describe());
        assertTrue(batch.output().contains("REGISTRY CHECK PASSED"), "check '" + row.check() + "' after the"
                + " -batch replay of " + recorded + " under Xvfb: " + batch.describe());
    }

    /**
     * ImageJ finds a key by searching for {@code key=} not preceded by a letter, so a key that is the suffix of
     * another after an underscore (timesteps vs num_train_timesteps) silently reads the wrong value.
     */
    private static void assertNoKeyIsASuffixOfAnother(CommandRegistry.Row row, String recorded) {
        int start = recorded.indexOf("\", \"");
        if (start < 0) {
            return;
        }
        String options = recorded.substring(start + 4, recorded.lastIndexOf('"'));
        List<String> keys = new ArrayList<>();
        Matcher matcher = KEY.matcher(options.replaceAll("\\[[^\\]]*\\]", "[]"));
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        for (String key : keys) {
            for (String other : keys) {
                assertFalse(!key.equals(other) && other.endsWith("_" + key), row + ": macro key '" + key
                        + "' is a suffix of '" + other + "', so ImageJ would read the wrong value; rename a label");
            }
        }
    }
}
