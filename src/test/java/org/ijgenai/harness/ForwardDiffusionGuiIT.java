package org.ijgenai.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.ijgenai.testing.Dist;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Forward Diffusion dialog as a designer uses it, in a real ImageJ GUI under Xvfb. */
class ForwardDiffusionGuiIT {

    @TempDir
    Path tmp;

    @Test
    void previewFollowsTheDialogClosesOnOkAndLeavesTheSourceUnchanged() throws Exception {
        Processes.requireTool("xvfb-run", "xvfb and xauth");
        Path dist = Dist.dir();
        List<String> driver = List.of(Processes.java(), "-Duser.home=" + tmp, "-Dplugins.dir=" + dist, "-cp",
                Paths.get("target/test-classes").toAbsolutePath() + ":" + dist.resolve("lib/ij.jar"),
                "org.ijgenai.testing.PreviewDriver", Dist.samples().resolve("camera.png").toString());
        Processes.Result result = Processes.run(Processes.underXvfb(driver), tmp, Map.of(), 180);
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.output().contains("PREVIEW OK"), result.describe());
    }
}
