package org.ijgenai.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.ijgenai.testing.Dist;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.Test;

/** The folder {@code mvn package} builds is a drop-in ImageJ/Fiji installation plus a launcher. */
class DistLayoutIT {

    @Test
    void pluginJarCarriesPluginsConfigAndItsDependenciesSitBesideItWithoutImageJ() throws IOException {
        Path dist = Dist.dir();
        try (JarFile jar = new JarFile(dist.resolve("plugins/ij_genai.jar").toFile())) {
            assertNotNull(jar.getEntry("plugins.config"), "plugins.config at the jar root");
            assertNotNull(jar.getEntry("org/ijgenai/imagej/ForwardDiffusionCommand.class"));
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("org/ijgenai/spark/")),
                    "the Spark jobs go into ij-genai-spark.jar, not into the plugin");
        }
        try (JarFile spark = new JarFile(dist.resolve("../ij-genai-spark.jar").toFile())) {
            assertNotNull(spark.getEntry("org/ijgenai/spark/ClipIndexJob.class"));
            assertTrue(spark.stream().noneMatch(e -> e.getName().startsWith("org/ijgenai/core/")),
                    "ij-genai-spark.jar holds only the jobs; the core travels in ij_genai.jar");
        }
        try (Stream<Path> files = Files.walk(dist)) {
            List<String> sparkJars = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("(spark|hadoop|scala).*\\.jar|ij-genai-spark\\.jar"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), sparkJars, "nothing of Spark anywhere in " + dist);
        }
        List<String> jars;
        try (Stream<Path> files = Files.list(dist.resolve("plugins/jars"))) {
            jars = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("onnxruntime-engine-")), jars.toString());
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("jna-")), jars.toString());
        assertTrue(jars.stream().noneMatch(j -> j.matches("ij-\\d.*\\.jar") || j.equals("ij.jar")),
                "no second ij.jar among the plugin's dependencies: " + jars);
        assertTrue(jars.stream().noneMatch(j -> j.contains("pytorch")),
                "DJL's PyTorch engine must not be on the runtime class path: " + jars);
        assertTrue(jars.stream().noneMatch(j -> j.matches("(spark|hadoop|scala|parquet|py4j|log4j).*")),
                "Spark is `provided`: no Spark, Hadoop or Scala jar in the plugin folder: " + jars);
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("gson-")), jars.toString());
        assertTrue(jars.stream().noneMatch(j -> j.startsWith("slf4j-simple-")),
                "no SLF4J binding among the plugin's dependencies (Fiji has its own): " + jars);
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("slf4j-api-")), jars.toString());
        assertTrue(Files.isRegularFile(dist.resolve("lib/ij.jar")));
        try (Stream<Path> files = Files.list(dist.resolve("lib"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("slf4j-simple-")),
                    "the launcher's SLF4J binding in lib/");
        }
        assertTrue(Files.isExecutable(dist.resolve("bin/ij-genai")));
        assertTrue(Files.isRegularFile(dist.resolve("samples/astronaut.png")));
        // The bundled models once, beside the plugin jar, where ImageJ, Fiji and the launcher all find them.
        assertTrue(Files.isRegularFile(dist.resolve("plugins/ij-genai-models/shapes-sd/model_index.json")));
        assertTrue(!Files.exists(dist.resolve("models")), "no second copy of the bundled models in " + dist);
    }

    @Test
    void launcherExplainsItselfAndRefusesTheGuiWithoutADisplay() throws Exception {
        Path dist = Dist.dir();
        Map<String, String> env = new HashMap<>();
        env.put("DISPLAY", null);
        env.put("WAYLAND_DISPLAY", null);
        Processes.Result help = Processes.run(List.of(dist.resolve("bin/ij-genai").toString(), "help"), dist, env,
                60);
        assertEquals(0, help.exitCode(), help.describe());
        assertTrue(help.output().contains("macro FILE.ijm") && help.output().contains("diffuse --image"),
                help.describe());
        Processes.Result gui = Processes.run(List.of(dist.resolve("bin/ij-genai").toString()), dist, env, 60);
        assertEquals(2, gui.exitCode(), gui.describe());
        assertTrue(gui.output().contains("no display"), gui.describe());
    }
}
