package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --help}/{@code -h} on every subcommand, unknown options named as such, and exit codes 2 (usage) / 1. */
class CliHelpTest {

    @TempDir
    Path temp;

    /** What a CLI run returned and printed. */
    record Outcome(int code, String out, String err) {}

    /** Runs the CLI in-process, capturing both streams (shared with the other CLI tests). */
    static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everySubcommandHasHelpListingEachOptionOfItsUsage() {
        Pattern option = Pattern.compile("--([a-z0-9-]+)");
        java.util.Set<String> withoutHelp = new java.util.TreeSet<>();
        for (Subcommand command : Main.subcommands().values()) {
            Outcome help = run(command.name(), "--help");
            assertEquals(0, help.code(), command.name() + ": " + help.err());
            assertTrue(help.out().startsWith("usage: ij-genai " + command.name()), help.out());
            assertEquals(help, run(command.name(), "-h"), command.name() + " -h is --help");
            if (command.help().isEmpty()) {
                withoutHelp.add(command.name());
                continue;
            }
            Matcher m = option.matcher(command.usage());
            while (m.find()) {
                assertTrue(help.out().contains("\n  --" + m.group(1) + " "),
                        command.name() + " --help describes --" + m.group(1) + ":\n" + help.out());
            }
        }
        assertTrue(withoutHelp.isEmpty(), "subcommands without option descriptions: " + withoutHelp);
    }

    @Test
    void optionsWithAValueSayTheirDefaultOrThatTheyAreRequired() {
        for (Subcommand command : Main.subcommands().values()) {
            for (String line : run(command.name(), "--help").out().split("\n")) {
                if (line.matches("  --[a-z-]+ [A-Z|.0-9,=…]+ .*")) {
                    assertTrue(line.contains("(default: ") || line.contains("(required") || line.contains("same as"),
                            command.name() + ": " + line);
                }
            }
        }
        Outcome help = run("txt2img", "--help");
        assertTrue(help.out().contains("--steps N            denoising steps (default: 20)"), help.out());
        assertTrue(run("inpaint", "--help").out().contains("--grow PX            dilate the mask (default: 0)"));
        assertTrue(run("expand", "--help").out().contains("--grow PX            dilate the mask (default: 8)"));
        // The inpainting options are written once (OptionHelp.inpaint), with each command's defaults.
        for (String command : new String[] {"grid", "attention"}) {
            String out = run(command, "--help").out();
            assertTrue(out.contains("--grow PX            inpainting: dilate the mask (default: 0)"), out);
            assertTrue(out.contains("(default: 0.75 for img2img, 1.0 for inpainting)"), out);
        }
        assertTrue(run("inpaint", "--help").out().contains("--feather PX         soften the edge of the mask the model"
                + " repaints (default: 0)"));
        assertTrue(run("expand", "--help").out().contains("--feather PX         soften the edge of the mask the model"
                + " repaints (default: 8)"));
    }

    @Test
    void misspeltOptionIsReportedAsUnknown() {
        Outcome result = run("txt2img", "--model", "models/shapes-sd", "--promt", "a red circle", "--out",
                temp.resolve("x.png").toString());
        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains("unknown option --promt; did you mean --prompt?"), result.err());
    }

    @Test
    void guidanceIsTheSameOptionAsCfg() throws Exception {
        Path out = temp.resolve("g.png");
        Outcome result = run("txt2img", "--model", "models/shapes-sd", "--prompt", "a red circle", "--steps", "1",
                "--seed", "1", "--guidance", "3", "--quiet", "--out", out.toString());
        assertEquals(0, result.code(), result.err());
        assertEquals("3.0", ImageFiles.readPngText(out).get("guidance"));
        assertEquals(2, run("txt2img", "--model", "models/shapes-sd", "--prompt", "x", "--cfg", "2", "--guidance",
                "3", "--out", out.toString()).code());
    }

    @Test
    void usageErrorsExitTwoAndRuntimeErrorsOne() {
        assertEquals(2, run("txt2img", "--model", "models/shapes-sd", "--prompt", "x").code(), "missing --out");
        assertEquals(2, run("diffuse", "--image").code(), "an option without its value");
        Outcome missing = run("txt2img", "--model", temp.resolve("nowhere").toString(), "--prompt", "x", "--out",
                temp.resolve("x.png").toString());
        assertEquals(1, missing.code(), missing.err());
        Outcome empty = run("clip", "search", "--index", temp.toString(), "--text", " ");
        assertEquals(2, empty.code(), empty.err());
        assertTrue(empty.err().contains("--text is empty"), empty.err());
    }
}
