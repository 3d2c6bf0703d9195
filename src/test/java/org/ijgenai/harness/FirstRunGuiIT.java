package org.ijgenai.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ijgenai.testing.Dist;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user meets first, in a real ImageJ GUI under Xvfb with the packaged plugin: the menu, the Help
 * windows, the size a result opens at, and Prompt Studio (driven by {@code FirstRunDriver}).
 */
class FirstRunGuiIT {

    @TempDir
    Path tmp;

    private Processes.Result drive(String... args) throws Exception {
        Processes.requireTool("xvfb-run", "xvfb and xauth");
        Path dist = Dist.dir();
        List<String> command = new ArrayList<>(List.of(Processes.java(), "-Duser.home=" + tmp,
                "-Dplugins.dir=" + dist, "-cp", Paths.get("target/test-classes").toAbsolutePath() + ":"
                        + dist.resolve("lib/ij.jar"), "org.ijgenai.testing.FirstRunDriver"));
        command.addAll(List.of(args));
        Processes.Result result = Processes.run(Processes.underXvfb(command), tmp, Map.of(), 240);
        assertEquals(0, result.exitCode(), result.describe());
        return result;
    }

    private static List<String> lines(Processes.Result result, String prefix) {
        List<String> lines = new ArrayList<>();
        for (String line : result.output().split("\n")) {
            if (line.startsWith(prefix + " ")) {
                lines.add(line.substring(prefix.length() + 1));
            }
        }
        return lines;
    }

    @Test
    void theMenuListsTheMainCommandsFirstInSeparatedGroups() throws Exception {
        List<String> menu = lines(drive("menu"), "MENU");
        assertEquals(List.of("Text to Image (Stable Diffusion)...", "Image to Image (Stable Diffusion)...",
                "Generative Fill...", "Generative Expand..."), menu.subList(0, 4), String.join("\n", menu));
        assertTrue(menu.stream().noneMatch(item -> item.endsWith(" >")), "no submenu: " + menu);
        assertTrue(menu.stream().filter("-"::equals).count() >= 3, "groups separated: " + menu);
        assertTrue(!menu.get(menu.size() - 1).equals("-"), "a separator at the end: " + menu);
        for (int i = 1; i < menu.size(); i++) {
            assertTrue(!(menu.get(i).equals("-") && menu.get(i - 1).equals("-")), "two separators in a row");
        }
        // Every command of plugins.config is in the menu, once.
        for (String command : CommandRegistry.pluginsConfigCommands(Dist.dir().resolve("plugins/ij_genai.jar"))) {
            assertEquals(1, menu.stream().filter(command::equals).count(), command + " in " + menu);
        }
    }

    @Test
    void everyHelpWindowShowsItsWholeTextWithoutScrolling() throws Exception {
        List<String> helps = lines(drive("help", Dist.samples().resolve("camera.png").toString()), "HELP");
        assertEquals(5, helps.size(), String.join("\n", helps));
        Pattern size = Pattern.compile("(.*) view=(\\d+)x(\\d+) extent=(\\d+)x(\\d+) window=(\\d+)x(\\d+)");
        for (String help : helps) {
            Matcher m = size.matcher(help);
            assertTrue(m.matches(), help);
            assertTrue(Integer.parseInt(m.group(3)) <= Integer.parseInt(m.group(5)), "scrolls vertically: " + help);
            assertTrue(Integer.parseInt(m.group(2)) <= Integer.parseInt(m.group(4)), "scrolls sideways: " + help);
            assertTrue(Integer.parseInt(m.group(6)) <= 800, "wider than ImageJ's 800 px help window: " + help);
        }
    }

    @Test
    void aSixtyFourPixelResultOpensAtFourHundredPercent() throws Exception {
        List<String> zoom = lines(drive("zoom"), "ZOOM");
        assertEquals(1, zoom.size());
        assertTrue(zoom.get(0).startsWith("64x64 magnification=4.0 canvas=256x256"), zoom.get(0));
    }

    @Test
    void theSchedulePlotsAxisLabelsHaveAGlyphForEveryCharacter() throws Exception {
        List<String> plot = lines(drive("plot"), "PLOT");
        assertEquals(1, plot.size());
        assertTrue(plot.get(0).matches("font=.+ characters=\\d+ missing=0"), "ᾱ, ∏ or β drawn as a box: " + plot);
    }

    @Test
    void promptStudioCountsTokensForAModelNameAndEndsOnTheFinalPicture() throws Exception {
        Processes.Result result = drive("studio");
        // shapes-sd's vocabulary holds each of the seven words whole (PromptTokenCounterTest checks three).
        assertEquals(List.of("tokens: 7/75"), lines(result, "TOKENS"), result.output());
        List<String> preview = lines(result, "PREVIEW");
        assertEquals(1, preview.size(), result.output());
        Matcher m = Pattern.compile("384x384 mean difference from the result=([0-9.E-]+)").matcher(preview.get(0));
        assertTrue(m.matches(), preview.get(0));
        assertTrue(Double.parseDouble(m.group(1)) < 0.5, "the preview is not the final picture: " + preview.get(0));
    }
}
