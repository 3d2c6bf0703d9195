package org.ijgenai.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class CoreIndependenceTest {

    @Test
    void coreNeverImportsImageJ() throws IOException {
        Path core = Path.of("src/main/java/org/ijgenai/core");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(core)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readAllLines(p).stream()
                            .anyMatch(l -> l.startsWith("import ij.") || l.startsWith("import static ij."));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).map(Path::toString).collect(Collectors.toList());
        }
        assertEquals(List.of(), offenders, "core classes must not import ImageJ");
    }

    @Test
    void onlyTheOnnxPackageTouchesDjl() throws IOException {
        Path core = Path.of("src/main/java/org/ijgenai/core");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(core)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(core.resolve("onnx")))
                    .filter(p -> {
                        try {
                            return Files.readAllLines(p).stream().anyMatch(l -> l.startsWith("import ai.djl.")
                                    || l.startsWith("import ai.onnxruntime."));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }).map(Path::toString).collect(Collectors.toList());
        }
        assertEquals(List.of(), offenders, "only core.onnx may use DJL or ONNX Runtime directly");
    }

    @Test
    void coreNeverImportsSparkHadoopOrScala() throws IOException {
        Path core = Path.of("src/main/java/org/ijgenai/core");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(core)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readAllLines(p).stream().map(l -> l.replace("import static ", "import "))
                            .anyMatch(l -> l.startsWith("import org.apache.spark.")
                                    || l.startsWith("import org.apache.hadoop.") || l.startsWith("import scala."));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).map(Path::toString).collect(Collectors.toList());
        }
        assertEquals(List.of(), offenders, "the core runs without Spark; only src/spark/java may use it");
    }

    @Test
    void onlyTheSparkSourceRootUsesSpark() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readAllLines(p).stream().anyMatch(l -> l.startsWith("import org.apache.spark.")
                            || l.startsWith("import org.apache.hadoop.") || l.startsWith("import scala.")
                            || l.startsWith("import org.ijgenai.spark."));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).map(Path::toString).collect(Collectors.toList());
        }
        assertEquals(List.of(), offenders, "the plugin's sources (src/main/java) never use Spark or its jobs");
    }
}
