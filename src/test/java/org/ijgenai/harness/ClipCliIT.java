package org.ijgenai.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ijgenai.testing.Dist;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/ij-genai clip} through the packaged launcher, with the bundled shapes-clip and the samples. */
class ClipCliIT {

    @TempDir
    Path tmp;

    private Processes.Result launch(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Dist.launcher().toString());
        command.addAll(List.of(args));
        return Processes.run(command, tmp, Map.of("HOME", tmp.toString()), 180);
    }

    @Test
    void indexSearchAndLabelRunFromTheLauncher() throws Exception {
        String model = Path.of("models/shapes-clip").toAbsolutePath().toString();
        String index = tmp.resolve("index").toString();
        Processes.Result indexed = launch("clip", "index", "--model", model, "--images", Dist.samples().toString(),
                "--index", index, "--quiet");
        assertEquals(0, indexed.exitCode(), indexed.describe());
        assertTrue(indexed.output().contains("0 skipped"), indexed.describe());

        Processes.Result again = launch("clip", "index", "--model", model, "--images", Dist.samples().toString(),
                "--index", index, "--quiet");
        assertTrue(again.output().contains(" 0 embedded"), "re-indexing embeds nothing: " + again.describe());

        Processes.Result found = launch("clip", "search", "--index", index, "--text", "a red circle", "--top", "3");
        assertEquals(0, found.exitCode(), found.describe());
        List<String> hits = found.output().lines().filter(l -> l.matches("\\d+\\t-?\\d\\.\\d{4}\\t.+")).toList();
        assertEquals(3, hits.size(), found.describe());
        assertTrue(hits.get(0).startsWith("1\t"), found.describe());

        Processes.Result labelled = launch("clip", "label", "--model", model, "--image",
                Dist.samples().resolve("coffee.png").toString(), "--labels", "circle,square,triangle");
        assertEquals(0, labelled.exitCode(), labelled.describe());
        assertTrue(labelled.output().contains("slice\tlabel\tprobability"), labelled.describe());

        Processes.Result missing = launch("clip", "search", "--index", tmp.resolve("nowhere").toString(), "--text",
                "x");
        assertEquals(1, missing.exitCode(), missing.describe());
        assertTrue(missing.output().contains("No CLIP index at"), missing.describe());
    }
}
