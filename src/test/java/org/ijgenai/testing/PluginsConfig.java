package org.ijgenai.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries of a {@code plugins.config}, read as ImageJ 1.54p's {@code Menus.installJarPlugin} reads them: lines
 * of three or more characters not starting with {@code #}; a quoted command {@code "-"} is a separator.
 */
public final class PluginsConfig {

    /** One line: a command (menu path, name and class) or a separator (name "-", no class). */
    public record Entry(String menu, String command, String className) {

        /** Whether this line adds a menu separator instead of a command. */
        public boolean separator() {
            return command.equals("-");
        }
    }

    private PluginsConfig() {}

    /** The repository's {@code plugins.config}. */
    public static List<Entry> repository() throws IOException {
        return parse(Files.readString(Path.of("plugins.config"), StandardCharsets.UTF_8));
    }

    /** Every entry, separators included, in file order. */
    public static List<Entry> parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (line.length() < 3 || line.startsWith("#")) {
                continue;
            }
            int open = line.indexOf('"');
            int close = line.indexOf('"', open + 1);
            if (open < 0 || close < 0) {
                throw new IllegalStateException("plugins.config line without a quoted command name: " + line);
            }
            String menu = line.substring(0, open).replaceAll(",\\s*$", "").trim();
            String command = line.substring(open + 1, close);
            String rest = line.substring(close + 1).trim();
            String className = rest.startsWith(",") ? rest.substring(1).trim() : rest;
            entries.add(new Entry(menu, command, className));
        }
        return entries;
    }

    /** The commands (no separators), in file order. */
    public static List<Entry> commands(String text) {
        return parse(text).stream().filter(e -> !e.separator()).toList();
    }
}
