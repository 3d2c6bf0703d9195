package org.ijgenai.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ijgenai.testing.Dist;
import org.ijgenai.testing.ImageJInstalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain ImageJ folder made as the README says (ij.jar, and everything in the build's plugins/ copied into its
 * plugins/) runs Text to Image on the bundled shapes-sd from a macro, with only ij.jar on the class path (ImageJ's
 * own plugin class loader reads plugins/), no launcher and no other models folder; its Models listing shows the
 * bundled models.
 */
class PlainImageJIT {

    @TempDir
    Path tmp;

    @Test
    void textToImageRunsOnTheBundledModelInAPlainImageJ() throws Exception {
        Path imagej = tmp.resolve("ImageJ");
        Files.createDirectories(imagej);
        Files.copy(Dist.dir().resolve("lib/ij.jar"), imagej.resolve("ij.jar"));
        ImageJInstalls.copyTree(Dist.dir().resolve("plugins"), imagej.resolve("plugins"));
        String log = ImageJInstalls.textToImageMatchesTheLauncher(imagej,
                List.of(imagej.resolve("ij.jar").toString()), tmp);
        for (String bundled : List.of("shapes-sd", "shapes-clip", "ink-gan")) {
            ImageJInstalls.listsBundled(log, bundled);
        }
    }
}
