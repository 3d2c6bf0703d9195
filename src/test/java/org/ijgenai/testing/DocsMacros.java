package org.ijgenai.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The macros of a docs page: every fenced block marked {@code ```ijm}, in page order, so tests run them as written. */
public final class DocsMacros {

    private DocsMacros() {}

    /** The text of each {@code ```ijm} block of {@code page}. */
    public static List<String> of(Path page) throws IOException {
        List<String> macros = new ArrayList<>();
        StringBuilder current = null;
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
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
