package org.ijgenai.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.ijgenai.testing.Dist;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run("Forward Diffusion...", "...")} from a macro file: with no display at all, and under Xvfb both
 * through the same launcher and through a GUI-capable ImageJ that loads the plugin from its plugins folder.
 */
class HeadlessMacroIT {

    @TempDir
    Path tmp;

    /** A macro that diffuses every supported input type and checks each result, printing one line per check. */
    private Path allTypesMacro(Path outDir) throws Exception {
        String samples = Dist.samples().toString();
        String macro = String.join("\n",
                "print('headless=' + call('java.awt.GraphicsEnvironment.isHeadless'));",
                "setBatchMode(true);",
                "open('" + samples + "/cell.png');",
                "run('Forward Diffusion...', 'schedule=linear frames=5 seed=42 plot');",
                "if (!(nSlices == 5 && bitDepth() == 8)) exit('CHECK FAILED: 8-bit stays 8-bit'); print('ok 8-bit stays 8-bit');",
                "setSlice(3); if (!(startsWith(getInfo('slice.label'), 't=500 alpha_bar=0.0777'))) exit('CHECK FAILED: labels'); print('ok labels');",
                "saveAs('Tiff', '" + outDir + "/cell.tif');",
                "open('" + samples + "/astronaut.png');",
                "run('Forward Diffusion...', 'schedule=squaredcos_cap_v2 show_timesteps=[0,999] seed=1');",
                "if (!(nSlices == 2 && bitDepth() == 24)) exit('CHECK FAILED: RGB stays RGB'); print('ok RGB stays RGB');",
                "newImage('g16', '16-bit ramp', 128, 64, 1); setMinAndMax(0, 65535);",
                "run('Forward Diffusion...', 'schedule=sigmoid frames=3');",
                "if (!(nSlices == 3 && bitDepth() == 32)) exit('CHECK FAILED: 16-bit becomes 32-bit'); print('ok 16-bit becomes 32-bit');",
                "newImage('f32', '32-bit ramp', 64, 64, 1);",
                "run('Forward Diffusion...', 'schedule=scaled_linear beta_start=0.00085 beta_end=0.012 frames=2');",
                "if (!(nSlices == 2 && bitDepth() == 32)) exit('CHECK FAILED: 32-bit stays 32-bit'); print('ok 32-bit stays 32-bit');",
                "newImage('st', '8-bit ramp', 32, 32, 4); setSlice(2); id = getImageID();",
                "run('Forward Diffusion...', 'frames=2');",
                "if (!(nSlices == 2)) exit('CHECK FAILED: current slice of a stack'); print('ok current slice of a stack');",
                "selectImage(id); if (!(nSlices == 4 && getSliceNumber() == 2)) exit('CHECK FAILED: source untouched'); print('ok source untouched');",
                "print('ALL CHECKS PASSED');",
                "");
        Path file = outDir.resolve("all-types.ijm");
        Files.writeString(file, macro.replace('\'', '"'), StandardCharsets.UTF_8);
        return file;
    }

    private Map<String, String> env(boolean display) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.toString());
        if (!display) {
            env.put("DISPLAY", null);
            env.put("WAYLAND_DISPLAY", null);
        }
        return env;
    }

    private static List<String> command(String... words) {
        List<String> command = new ArrayList<>();
        command.add(Dist.launcher().toString());
        command.addAll(List.of(words));
        return command;
    }

    @Test
    void forwardDiffusionRunsFromAMacroWithNoDisplayAtAll() throws Exception {
        Path macro = allTypesMacro(tmp);
        Processes.Result result = Processes.run(command("macro", macro.toString()), tmp, env(false), 180);
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.output().contains("headless=true"), result.describe());
        assertTrue(result.output().contains("ALL CHECKS PASSED"), result.describe());
        assertTrue(Files.isRegularFile(tmp.resolve("cell.tif")));
    }

    @Test
    void forwardDiffusionRunsFromAMacroUnderXvfb() throws Exception {
        Processes.requireTool("xvfb-run", "xvfb and xauth");
        Path macro = allTypesMacro(tmp);
        Processes.Result headless = Processes.run(Processes.underXvfb(command("macro", macro.toString())), tmp,
                env(true), 180);
        assertEquals(0, headless.exitCode(), headless.describe());
        assertTrue(headless.output().contains("ALL CHECKS PASSED"), headless.describe());

        // ImageJ's own -batch mode on a display: not headless, plugin loaded by ImageJ from plugins/.
        Files.delete(tmp.resolve("cell.tif"));
        Processes.Result batch = Processes.run(Processes.underXvfb(command("-batch", macro.toString())), tmp,
                env(true), 180);
        assertEquals(0, batch.exitCode(), batch.describe());
        assertTrue(batch.output().contains("headless=false"), batch.describe());
        assertTrue(batch.output().contains("ALL CHECKS PASSED"), batch.describe());
        assertTrue(Files.isRegularFile(tmp.resolve("cell.tif")));
    }

    @Test
    void guiLauncherInstallsTheGenerativeAiMenu() throws Exception {
        Processes.requireTool("xvfb-run", "xvfb and xauth");
        Path out = tmp.resolve("gui.txt");
        Path macro = tmp.resolve("gui.ijm");
        Files.writeString(macro, "List.setCommands;\n"
                + "File.saveString('class=' + List.get('Forward Diffusion...') + ' ijWindow=' + "
                .replace('\'', '"') + "(getVersion() != \"\") , \"" + out + "\");\nrun(\"Quit\");\n",
                StandardCharsets.UTF_8);
        // The launcher with no subcommand starts ImageJ's GUI; -macro runs a macro in it.
        Processes.Result gui = Processes.run(Processes.underXvfb(command("-macro", macro.toString())), tmp,
                env(true), 120);
        assertFalse(gui.timedOut(), gui.describe());
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("class=org.ijgenai.imagej.ForwardDiffusionCommand"), text);
    }

    @Test
    void macroErrorsFailWithTheMessageAndNeverHang() throws Exception {
        Path bad = tmp.resolve("bad.ijm");
        Files.writeString(bad, "newImage(\"x\", \"8-bit ramp\", 64, 64, 1);\n"
                + "run(\"Forward Diffusion...\", \"show_timesteps=[0,2000]\");\nprint(\"NOT REACHED\");\n");
        Processes.Result headless = Processes.run(command("macro", bad.toString()), tmp, env(false), 120);
        assertEquals(1, headless.exitCode(), headless.describe());
        assertTrue(headless.output().contains("timestep 2000 is outside 0…999"), headless.describe());
        assertFalse(headless.output().contains("NOT REACHED"), headless.describe());

        Path unknown = tmp.resolve("unknown.ijm");
        Files.writeString(unknown, "run(\"Forward Difusion...\");\n");
        Processes.Result typo = Processes.run(command("macro", unknown.toString()), tmp, env(false), 120);
        assertEquals(1, typo.exitCode(), typo.describe());
        assertTrue(typo.output().contains("Unrecognized command"), typo.describe());

        Processes.Result missing = Processes.run(command("macro", tmp.resolve("nope.ijm").toString()), tmp,
                env(false), 60);
        assertEquals(1, missing.exitCode(), missing.describe());

        Processes.requireTool("xvfb-run", "xvfb and xauth");
        Processes.Result batch = Processes.run(Processes.underXvfb(command("-batch", bad.toString())), tmp,
                env(true), 120);
        assertFalse(batch.timedOut(), "a command error under a display must not open a modal dialog in -batch: "
                + batch.describe());
        assertTrue(batch.output().contains("timestep 2000 is outside"), batch.describe());
        assertFalse(batch.output().contains("NOT REACHED"), batch.describe());
    }

    @Test
    void aFailingModelsActionStopsTheMacro() throws Exception {
        Path macro = tmp.resolve("models.ijm");
        Files.writeString(macro, "run(\"Models...\", \"action=verify name=no-such-model\");\n"
                + "print(\"NOT REACHED\");\n");
        Processes.Result result = Processes.run(command("macro", macro.toString()), tmp, env(false), 120);
        assertEquals(1, result.exitCode(), result.describe());
        assertTrue(result.output().contains("no installed model or folder called 'no-such-model'"),
                result.describe());
        assertFalse(result.output().contains("NOT REACHED"), result.describe());

        // ImageJ's -batch mode on a display: a plain IJ.error would open a modal dialog there and the macro
        // would go on; the command's error must stop it instead.
        Processes.requireTool("xvfb-run", "xvfb and xauth");
        Processes.Result batch = Processes.run(Processes.underXvfb(command("-batch", macro.toString())), tmp,
                env(true), 120);
        assertFalse(batch.timedOut(), "a failing Models action must not open a modal dialog in -batch: "
                + batch.describe());
        assertTrue(batch.output().contains("no installed model or folder called 'no-such-model'"),
                batch.describe());
        assertFalse(batch.output().contains("NOT REACHED"), batch.describe());
    }
}
