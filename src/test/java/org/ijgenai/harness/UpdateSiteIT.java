package org.ijgenai.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.ijgenai.testing.Dist;
import org.ijgenai.testing.ImageJInstalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Fiji update site that {@code mvn package} lays out in target/ij-genai-update-site: the files Fiji's updater
 * serves, in Fiji.app's layout, without the jars Fiji ships; and a Fiji-like folder made from it, with older
 * releases of those jars standing in for Fiji's, runs Text to Image on the bundled shapes-sd.
 */
class UpdateSiteIT {

    @TempDir
    Path tmp;

    private static Path site() {
        Path site = Dist.dir().resolveSibling("ij-genai-update-site");
        assertTrue(Files.isDirectory(site), "no update site at " + site + "; run `mvn package`");
        return site;
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void theSiteHoldsThePluginTheJarsFijiLacksAndTheModelsWhereTheUpdaterTracksThem() throws Exception {
        Path site = site();
        assertEquals(List.of("jars", "models", "plugins"), names(site));
        assertEquals(List.of("ij_genai.jar"), names(site.resolve("plugins")),
                "only jars in plugins/: Fiji's updater tracks no model files there");
        List<String> jars = names(site.resolve("jars")).stream().map(n -> n.replaceAll("-\\d[\\w.-]*\\.jar$", ""))
                .collect(Collectors.toList());
        // DJL and ONNX Runtime (Fiji ships neither), Lucene (neither); everything else is Fiji's or inside our jar.
        assertEquals(List.of("djl-api", "lucene-core", "onnxruntime", "onnxruntime-engine"), jars);
        assertEquals(List.of("README.md", "catalog.json", "ink-gan", "shapes-clip", "shapes-gan", "shapes-sd"),
                names(site.resolve("models/ij-genai")));
        try (JarFile jar = new JarFile(site.resolve("plugins/ij_genai.jar").toFile())) {
            assertNotNull(jar.getEntry("plugins.config"));
            assertNotNull(jar.getEntry("org/ijgenai/shaded/protobuf/GeneratedMessage.class"),
                    "protobuf-java travels inside, relocated");
            assertNull(jar.getEntry("com/google/protobuf/GeneratedMessage.class"),
                    "no unrelocated protobuf class that could clash with Fiji's");
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("org/snakeyaml/")),
                    "snakeyaml-engine is relocated too");
        }
    }

    @Test
    void aFijiMadeFromTheSiteRunsTextToImageWithOlderLibrariesOfItsOwn() throws Exception {
        Path fiji = tmp.resolve("Fiji.app");
        ImageJInstalls.copyTree(site(), fiji);
        Files.copy(Dist.dir().resolve("lib/ij.jar"), fiji.resolve("jars/ij-1.54p.jar"));
        Path standIns = Dist.dir().resolveSibling("fiji-stand-in/jars");
        ImageJInstalls.copyTree(standIns, fiji.resolve("jars"));
        assertTrue(Files.isRegularFile(fiji.resolve("jars/gson-2.10.1.jar")), "stand-ins from " + standIns);
        // As Fiji's launcher builds it: every jar in jars/ and plugins/.
        List<String> classPath = new ArrayList<>();
        for (String dir : List.of("jars", "plugins")) {
            for (String name : names(fiji.resolve(dir))) {
                if (name.endsWith(".jar")) {
                    classPath.add(fiji.resolve(dir).resolve(name).toString());
                }
            }
        }
        String log = ImageJInstalls.textToImageMatchesTheLauncher(fiji, classPath, tmp);
        assertTrue(log.lines().anyMatch(l -> l.startsWith("Bundled: ") && l.endsWith("Fiji.app/models/ij-genai")), log);
        ImageJInstalls.listsBundled(log, "shapes-sd");
        assertFalse(log.contains("Exception"), log);
    }
}
