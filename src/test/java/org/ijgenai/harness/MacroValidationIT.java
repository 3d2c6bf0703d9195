package org.ijgenai.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.ijgenai.testing.Dist;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headless macros ({@code bin/ij-genai macro}, no display) refuse a bad choice or number as ImageJ's dialog does
 * with a display: the macro stops with the key and what was expected, and exits 1; a misspelt key is logged; the
 * CLIP Search results are readable as the Results table.
 */
class MacroValidationIT {

    private static final String TXT2IMG = "run(\"Text to Image (Stable Diffusion)...\", \"model=shapes-sd"
            + " prompt=[a red circle on a blue background] seed=1 ";
    private static final String RAMP = "newImage(\"ramp\", \"8-bit ramp\", 64, 64, 1);\n";

    @TempDir
    Path tmp;

    private Processes.Result macro(String text) throws Exception {
        Path file = tmp.resolve("m" + System.nanoTime() + ".ijm");
        Files.writeString(file, text + "\nprint(\"AFTER THE COMMAND\");\n", StandardCharsets.UTF_8);
        Map<String, String> env = new java.util.HashMap<>();
        env.put("HOME", tmp.toString());
        env.put("DISPLAY", null);
        return Processes.run(List.of(Dist.launcher().toString(), "macro", file.toString()), tmp, env, 120);
    }

    private void assertRefused(String text, String message) throws Exception {
        Processes.Result run = macro(text);
        assertEquals(1, run.exitCode(), run.describe());
        assertTrue(run.output().contains(message), run.describe());
        assertFalse(run.output().contains("AFTER THE COMMAND"), "the macro must stop: " + run.describe());
        assertFalse(run.output().contains("\tat "), run.describe());
    }

    @Test
    void badChoicesStopTheMacro() throws Exception {
        assertRefused(TXT2IMG + "steps=2 scheduler=foo\");",
                "scheduler=foo is not a valid choice; expected one of: ");
        assertRefused(TXT2IMG + "steps=2 step=bogus\");", "step=bogus is not a valid choice");
        assertRefused(RAMP + "run(\"Forward Diffusion...\", \"schedule=bogus frames=2\");",
                "schedule=bogus is not a valid choice");
        assertRefused("run(\"CLIP Search...\", \"index=[" + tmp + "] query=Bogus text=x top=3\");",
                "query=Bogus is not a valid choice; expected one of: Text, Current image");
    }

    @Test
    void aNumberThatIsNotANumberStopsTheMacro() throws Exception {
        assertRefused(TXT2IMG + "steps=abc\");", "steps=abc is not a number");
        assertRefused(RAMP + "run(\"Forward Diffusion...\", \"schedule=linear frames=two\");",
                "frames=two is not a number");
    }

    private static final String FILL = RAMP.replace("8-bit ramp", "RGB ramp") + "makeRectangle(16, 16, 32, 32);\n"
            + "run(\"Generative Fill...\", \"model=shapes-sd prompt=[a yellow star] seed=1 steps=1 ";
    private static final String EXPAND = RAMP.replace("8-bit ramp", "RGB ramp")
            + "run(\"Generative Expand...\", \"left=0 right=32 top=0 bottom=0 model=shapes-sd prompt=[sky] seed=1"
            + " steps=1 ";
    private static final String ATTENTION = "run(\"Attention Maps (Stable Diffusion)...\", \"model=shapes-sd"
            + " prompt=[a red circle] seed=1 steps=1 ";

    @Test
    void theDialogsAddedLastRoundRefuseBadValuesToo() throws Exception {
        assertRefused(FILL + "scheduler=foo\");", "scheduler=foo is not a valid choice; expected one of: ");
        assertRefused(FILL + "masked=bogus\");", "masked=bogus is not a valid choice");
        assertRefused(FILL + "context=everywhere\");", "context=everywhere is not a valid choice");
        assertRefused(FILL + "grow=lots\");", "grow=lots is not a number");
        assertRefused(EXPAND + "feather=soft\");", "feather=soft is not a number");
        assertRefused(EXPAND + "step=bogus\");", "step=bogus is not a valid choice");
        assertRefused(ATTENTION + "lut=rainbow\");", "lut=rainbow is not a valid choice; expected one of: fire");
        assertRefused(ATTENTION + "opacity=half\");", "opacity=half is not a number");
        assertRefused(ATTENTION + "aggregate=bogus\");", "steps: 'bogus' is not a step number");
    }

    @Test
    void theDialogsAddedLastRoundLogAMisspeltKey() throws Exception {
        Processes.Result text = macro("run(\"Text Encoder Attention...\", \"model=shapes-sd prompt=[a red circle]"
                + " promt=x\");");
        assertEquals(0, text.exitCode(), text.describe());
        assertTrue(text.output().contains("Text Encoder Attention: unknown key promt ignored"), text.describe());
        assertTrue(text.output().contains("AFTER THE COMMAND"), text.describe());
        Processes.Result fill = macro(FILL + "stpes=3\");");
        assertEquals(0, fill.exitCode(), fill.describe());
        assertTrue(fill.output().contains("Generative Fill: unknown key stpes ignored"), fill.describe());
    }

    @Test
    void aMisspeltKeyIsLogged() throws Exception {
        Processes.Result run = macro(RAMP + "run(\"Forward Diffusion...\", \"schedule=linear frames=2 stpes=3\");");
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.output().contains("Forward Diffusion: unknown key stpes ignored"), run.describe());
        assertTrue(run.output().contains("AFTER THE COMMAND"), run.describe());
    }

    @Test
    void clipSearchResultsAreTheResultsTableHeadless() throws Exception {
        Path index = tmp.resolve("index");
        Processes.Result indexed = Processes.run(List.of(Dist.launcher().toString(), "clip", "index", "--model",
                Dist.bundledModels().resolve("shapes-clip").toString(), "--images", Dist.samples().toString(),
                "--index", index.toString()), tmp, Map.of("HOME", tmp.toString()), 180);
        assertEquals(0, indexed.exitCode(), indexed.describe());
        Processes.Result run = macro("run(\"CLIP Search...\", \"index=[" + index + "] query=Text text=[a photo]"
                + " top=3\");\nprint(\"rows=\" + nResults + \" first=\" + getResultString(\"Path\", 0));");
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.output().contains("rows=3 first=" + Dist.samples()), run.describe());
    }
}
