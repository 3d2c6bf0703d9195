package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ijgenai.testing.DocsMacros;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every macro of docs/inpainting.md runs as written, headless, through {@code bin/ij-genai macro}. */
class DocsInpaintingMacroIT {

    @TempDir
    Path temp;

    @Test
    void everyMacroOfTheInpaintingPageRunsHeadless() throws Exception {
        List<String> macros = DocsMacros.of(Path.of("docs/inpainting.md"));
        assertEquals(4, macros.size(), "macros on the page");
        Path dist = Path.of(System.getProperty("ijgenai.dist", "target/ij-genai"));
        for (int i = 0; i < macros.size(); i++) {
            Path file = temp.resolve("doc" + i + ".ijm");
            Files.writeString(file, macros.get(i), StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(List.of(dist.resolve("bin/ij-genai").toString(), "macro",
                    file.toString())).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(5, TimeUnit.MINUTES));
            assertEquals(0, process.exitValue(), "macro " + (i + 1) + ":\n" + macros.get(i) + "\n" + output);
            assertTrue(output.contains(i == 0 ? "2 variations" : i == 1 ? "in place" : i == 2 ? "24-bit"
                    : "96x64"), "macro " + (i + 1) + " printed:\n" + output);
        }
    }
}
