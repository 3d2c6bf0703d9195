package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.ijgenai.core.style.StyleTestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Restyles a 4000×3000 RGB image under {@code -Xmx1g} with a quarter-width CycleGAN ResNet generator and prints
 * time and peak memory ({@code mvn -Pbenchmarks test -Dtest=StyleBenchmark}).
 */
@Tag("benchmark")
class StyleBenchmark {

    @Test
    void restyles4000x3000RgbUnderOneGigabyteOfHeap() throws IOException, InterruptedException {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx1g", "-Dai.djl.offline=true",
                "-Djava.awt.headless=true", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), StyleBenchmarkMain.class.getName(),
                StyleTestData.resource("bench-resnet-generator.onnx").toString(), "4000", "3000");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        System.out.println(output);
        assertEquals(0, code, output);
    }
}
