package org.ijgenai.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.ijgenai.testing.Dist;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;

/**
 * The packaged launcher on a full disk and on a read-only file system (a small tmpfs in a private mount namespace,
 * {@code unshare -rm}): the old output stays as it was, no partial file is left, and the one-line message says why.
 */
class FileSafetyIT {

    @TempDir
    Path tmp;

    private Path mount;
    private Path old;
    private byte[] oldBytes;

    @BeforeEach
    void prepare() throws Exception {
        Processes.requireTool("unshare", "util-linux");
        Processes.Result probe = Processes.run(List.of("unshare", "-rm", "sh", "-c",
                "mount -t tmpfs -o size=64k tmpfs " + tmp), tmp, Map.of(), 30);
        assumeTrue(probe.exitCode() == 0, "cannot mount a tmpfs in a user namespace here (unshare -rm): "
                + probe.output());
        mount = Files.createDirectory(tmp.resolve("disk"));
        ColorProcessor rgb = new ColorProcessor(64, 64);
        rgb.setColor(0x204080);
        rgb.fill();
        old = tmp.resolve("old.png");
        assertTrue(new FileSaver(new ImagePlus("old", rgb)).saveAsPng(old.toString()));
        oldBytes = Files.readAllBytes(old);
    }

    /** Runs {@code prepare}, then txt2img writing out.png and steps.tif into the tmpfs; prints what is left. */
    private String runOnTmpfs(String prepare) throws Exception {
        String script = "set -u\n"
                + "D='" + mount + "'\n"
                + "mount -t tmpfs -o size=256k tmpfs \"$D\" || exit 99\n"
                + "cp '" + old + "' \"$D/out.png\"\n"
                + prepare + "\n"
                + "'" + Dist.launcher() + "' txt2img --model shapes-sd --prompt 'a red circle on a blue background'"
                + " --steps 2 --quiet --out \"$D/out.png\" --steps-out \"$D/steps.tif\"\n"
                + "echo \"exit=$?\"\n"
                + "echo \"files: $(ls -A \"$D\" | tr '\\n' ' ')\"\n"
                + "cp \"$D/out.png\" '" + tmp.resolve("after.png") + "'\n";
        Processes.Result result = Processes.run(List.of("unshare", "-rm", "sh", "-c", script), tmp,
                Map.of("HOME", tmp.toString()), 180);
        assertFalse(result.timedOut(), result.describe());
        return result.output();
    }

    @Test
    void fullDiskKeepsTheOldOutputAndLeavesNoPartialFile() throws Exception {
        String output = runOnTmpfs("cat /dev/zero > \"$D/filler\" 2>/dev/null");
        assertTrue(output.contains("exit=1"), output);
        assertTrue(output.contains("no space left on device"), output);
        assertFalse(output.contains("\tat "), output);
        assertTrue(output.contains("files: filler out.png \n"), "nothing but the old files: " + output);
        assertArrayEquals(oldBytes, Files.readAllBytes(tmp.resolve("after.png")), "the old out.png is unchanged");
    }

    @Test
    void readOnlyFileSystemKeepsTheOldOutput() throws Exception {
        String output = runOnTmpfs("mount -o remount,ro \"$D\"");
        assertTrue(output.contains("exit=1"), output);
        assertTrue(output.contains("read-only file system"), output);
        assertFalse(output.contains("\tat "), output);
        assertTrue(output.contains("files: out.png \n"), output);
        assertArrayEquals(oldBytes, Files.readAllBytes(tmp.resolve("after.png")), "the old out.png is unchanged");
    }

    @Test
    void enoughSpaceWritesBothFiles() throws Exception {
        String output = runOnTmpfs("true");
        assertTrue(output.contains("exit=0"), output);
        assertTrue(output.contains("files: out.png steps-x0.tif steps.tif \n"), output);
        assertEquals(false, java.util.Arrays.equals(oldBytes, Files.readAllBytes(tmp.resolve("after.png"))));
    }
}
