package org.ijgenai.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.ijgenai.testing.PluginsConfig;

/**
 * The test registry {@code src/test/resources/commands/registry.tsv} (how to set up, drive and check each
 * command) and the command list of {@code plugins.config}.
 */
final class CommandRegistry {

    /** One registry row. */
    record Row(int line, String command, String setup, String dialog, String check, String expect) {

        /** The setup macro with {@code {samples}}, {@code {repo}} and {@code {tmp}} filled in. */
        String setupFor(Path samples, Path tmp) {
            return setup.replace("{samples}", macroPath(samples)).replace("{tmp}", macroPath(tmp))
                    .replace("{repo}", macroPath(Path.of("").toAbsolutePath()));
        }

        @Override
        public String toString() {
            return command + " (registry.tsv line " + line + ")";
        }
    }

    private CommandRegistry() {}

    private static String macroPath(Path path) {
        return path.toAbsolutePath().toString().replace("\\", "/");
    }

    /** Reads the registry from the test class path. */
    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = CommandRegistry.class.getResourceAsStream("/commands/registry.tsv")) {
            if (in == null) {
                throw new IllegalStateException("src/test/resources/commands/registry.tsv is missing");
            }
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].replace("\r", "");
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                if (cells.length != 4 && cells.length != 5) {
                    throw new IllegalStateException("registry.tsv line " + (i + 1) + " has " + cells.length
                            + " tab-separated columns, expected 4 or 5 (command, setup, dialog, check[, expect])");
                }
                String setup = cells[1].trim().equals("-") ? "" : cells[1].trim();
                String dialog = cells[2].trim().equals("-") ? "" : cells[2].trim();
                String check = cells[3].trim();
                if (check.isEmpty()) {
                    throw new IllegalStateException("registry.tsv line " + (i + 1) + " has no check");
                }
                String expect = cells.length == 5 ? cells[4].trim() : "";
                rows.add(new Row(i + 1, cells[0].trim(), setup, dialog, check, expect));
            }
        }
        return rows;
    }

    /** The command names declared in the packaged jar's {@code plugins.config}, in order. */
    static Set<String> pluginsConfigCommands(Path pluginJar) throws IOException {
        try (JarFile jar = new JarFile(pluginJar.toFile())) {
            ZipEntry entry = jar.getEntry("plugins.config");
            if (entry == null) {
                throw new IllegalStateException(pluginJar + " has no plugins.config at its root");
            }
            try (InputStream in = jar.getInputStream(entry)) {
                return parsePluginsConfig(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    /** The quoted command names of a {@code plugins.config} text, separators left out. */
    static Set<String> parsePluginsConfig(String text) {
        Set<String> commands = new LinkedHashSet<>();
        for (PluginsConfig.Entry entry : PluginsConfig.commands(text)) {
            commands.add(entry.command());
        }
        return commands;
    }

    /** Writes text to a new file in {@code dir}. */
    static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
