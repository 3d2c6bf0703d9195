package org.ijgenai.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The macro examples of a Markdown page: its {@code ```ijm} fenced blocks, which the docs tests run as written. */
public final class MarkdownMacros {

    private MarkdownMacros() {}

    /** The {@code ```ijm} blocks of a Markdown file, in page order. */
    public static List<String> of(Path markdown) throws IOException {
        List<String> macros = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(markdown, StandardCharsets.UTF_8)) {
            if (current == null && line.strip().equals("```ijm")) {
                current = new StringBuilder();
            } else if (current != null && line.strip().equals("```")) {
                macros.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return macros;
    }
}
