package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ij.plugin.PlugIn;
import ij.plugin.filter.PlugInFilter;
import org.ijgenai.testing.PluginsConfig;
import org.junit.jupiter.api.Test;

/**
 * Every class that plugins.config names is an ImageJ command ImageJ can instantiate. That each one makes DJL
 * offline when it loads is proven in a fresh JVM by {@code OfflineIT.everyEntryPointMakesDjlOfflineBeforeDjlLoads}.
 */
class CommandClassesTest {

    private static List<String[]> entries() throws IOException {
        List<String[]> entries = new ArrayList<>();
        for (PluginsConfig.Entry entry : PluginsConfig.commands(Files.readString(Path.of("plugins.config")))) {
            entries.add(new String[] {entry.command(), entry.className()});
        }
        return entries;
    }

    @Test
    void everyConfiguredClassIsAnImageJCommandWithAPublicConstructor() throws Exception {
        List<String[]> entries = entries();
        assertFalse(entries.isEmpty());
        for (String[] entry : entries) {
            Class<?> type = Class.forName(entry[1], false, getClass().getClassLoader());
            assertTrue(PlugIn.class.isAssignableFrom(type) || PlugInFilter.class.isAssignableFrom(type),
                    entry[1] + " must be an ImageJ PlugIn or PlugInFilter");
            type.getConstructor();
        }
    }

    @Test
    void forwardDiffusionHasItsExactMenuName() throws Exception {
        assertTrue(entries().stream().anyMatch(e -> e[0].equals(ForwardDiffusionCommand.COMMAND)
                && e[1].equals(ForwardDiffusionCommand.class.getName())));
        assertEquals("Forward Diffusion...", ForwardDiffusionCommand.COMMAND);
    }

    /** ImageJ's own dialog would let a headless macro's bad choice or number through as a silent default. */
    @Test
    void everyDialogIsAGenAiDialog() throws IOException {
        List<String> plain = new ArrayList<>();
        try (var files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                if (text.contains("new GenericDialog(") || text.contains("new NonBlockingGenericDialog(")) {
                    plain.add(file.getFileName().toString());
                }
            }
        }
        assertEquals(List.of(), plain, "use new GenAiDialog(title)");
    }
}
