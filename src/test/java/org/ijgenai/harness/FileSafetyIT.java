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
        return runOnTmpfs(prepare, "out.png", "txt2img --model shapes-sd --prompt 'a red circle on a blue"
                + " background' --steps 2 --quiet --out \"$D/out.png\" --steps-out \"$D/steps.tif\"");
    }

    /**
     * Mounts a 256 KiB tmpfs at $D, puts the old picture there as {@code oldName}, runs {@code prepare}, then the
     * launcher with {@code arguments} (which may name $D and $IN, a folder outside the tmpfs holding in.png and
     * mask.png); prints the exit code, the files left in $D, and copies the old file back out as after.png.
     */
    private String runOnTmpfs(String prepare, String oldName, String arguments) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        ColorProcessor rgb = new ColorProcessor(64, 64);
        rgb.setColor(0x336699);
        rgb.fill();
        assertTrue(new FileSaver(new ImagePlus("in", rgb)).saveAsPng(in.resolve("in.png").toString()));
        rgb.setColor(0);
        rgb.fill();
        rgb.setColor(0xffffff);
        rgb.fillRect(16, 16, 32, 32);
        assertTrue(new FileSaver(new ImagePlus("mask", rgb)).saveAsPng(in.resolve("mask.png").toString()));
        String script = "set -u\n"
                + "D='" + mount + "'\n"
                + "IN='" + in + "'\n"
                + "mount -t tmpfs -o size=256k tmpfs \"$D\" || exit 99\n"
                + "cp '" + old + "' \"$D/" + oldName + "\"\n"
                + prepare + "\n"
                + "'" + Dist.launcher() + "' " + arguments + "\n"
                + "echo \"exit=$?\"\n"
                + "echo \"files: $(ls -A \"$D\" | tr '\\n' ' ')\"\n"
                + "cp \"$D/" + oldName + "\" '" + tmp.resolve("after.png") + "'\n";
        Processes.Result result = Processes.run(List.of("unshare", "-rm", "sh", "-c", script), tmp,
                Map.of("HOME", tmp.toString()), 180);
        assertFalse(result.timedOut(), result.describe());
        return result.output();
    }

    /** The subcommands added after txt2img, with the old file each would replace; outputs all in $D. */
    private static final String[][] NEWER = {
        {"out.png", "inpaint --model shapes-sd --init \"$IN/in.png\" --mask \"$IN/mask.png\" --prompt 'a star'"
                + " --steps 1 --quiet --out \"$D/out.png\" --steps-out \"$D/steps.tif\""},
        {"out.png", "expand --model shapes-sd --init \"$IN/in.png\" --right 32 --prompt 'sky' --steps 1 --quiet"
                + " --out \"$D/out.png\""},
        {"out.png", "grid --model shapes-sd --prompt 'a red circle' --steps 1 --x seed=1,2 --quiet --out"
                + " \"$D/out.png\" --stack \"$D/grid.tif\" --table \"$D/cells.csv\""},
        {"out.tif", "walk --model shapes-sd --prompt 'a red circle' --steps 1 --seeds 1,2 --frames 2 --quiet"
                + " --out \"$D/out.tif\" --avi \"$D/walk.avi\""},
        {"image.png", "attention --model shapes-sd --prompt 'a red circle' --steps 1 --quiet --out \"$D\""},
        {"embeddings.tif", "text-attention --model shapes-sd --prompt 'a red circle' --out \"$D\""},
    };

    /** Runs every newer subcommand after {@code prepare}: each exits 1 with {@code reason} and leaves the old file. */
    private void assertNewerKeepTheOldOutput(String prepare, String reason, boolean filler) throws Exception {
        for (String[] command : NEWER) {
            String output = runOnTmpfs(prepare, command[0], command[1]);
            String name = command[1].substring(0, command[1].indexOf(' '));
            String left = !filler ? command[0] : command[0].compareTo("filler") < 0 ? command[0] + " filler"
                    : "filler " + command[0];
            assertTrue(output.contains("exit=1"), name + ": " + output);
            assertTrue(output.contains(reason), name + ": " + output);
            assertFalse(output.contains("\tat ") || output.contains(".part"), name + ": " + output);
            assertTrue(output.contains("files: " + left + " \n"), name + ": nothing else is left: " + output);
            assertArrayEquals(oldBytes, Files.readAllBytes(tmp.resolve("after.png")), name + ": old file unchanged");
        }
    }

    @Test
    void theNewerSubcommandsOnAFullDiskKeepTheOldOutputAndLeaveNoPartialFile() throws Exception {
        assertNewerKeepTheOldOutput("cat /dev/zero > \"$D/filler\" 2>/dev/null", "no space left on device", true);
    }

    @Test
    void theNewerSubcommandsOnAReadOnlyDiskSaySoAndKeepTheOldOutput() throws Exception {
        assertNewerKeepTheOldOutput("mount -o remount,ro \"$D\"", "read-only file system", false);
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
