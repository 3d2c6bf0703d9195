package org.ijgenai.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ijgenai.core.AtomicFiles;

/**
 * Opens the demo's results in ImageJ. The CLI runs headless, so it writes a macro that opens every stack and
 * picture, and starts the ImageJ GUI of the installation ({@code bin/ij-genai -macro FILE}) in a process of its
 * own, which stays open after the demo returns.
 */
final class DemoViewer {

    /** The macro's file name in the output folder; also usable later, by hand. */
    static final String MACRO = "open-in-imagej.ijm";
    /** Where the ImageJ started by the demo writes its messages. */
    static final String LOG = "imagej.log";

    private DemoViewer() {}

    /**
     * Whether a display is there to show windows on: {@code DISPLAY} or {@code WAYLAND_DISPLAY} set (X11,
     * Wayland), or macOS and Windows, which always have one for a logged-in user.
     */
    static boolean hasDisplay(Map<String, String> environment, String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("mac") || os.contains("windows")) {
            return true;
        }
        return !environment.getOrDefault("DISPLAY", "").isBlank()
                || !environment.getOrDefault("WAYLAND_DISPLAY", "").isBlank();
    }

    /**
     * The files worth a window, section by section: stacks first, then pictures; a section's montages only when it
     * has no stack (ImageJ shows the stack itself).
     */
    static List<Path> filesToOpen(Path outDir, List<DemoItem> items) {
        List<Path> files = new ArrayList<>();
        for (DemoItem item : items) {
            boolean hasStack = item.files().stream().anyMatch(f -> f.file().endsWith(".tif"));
            List<Path> pictures = new ArrayList<>();
            for (DemoItem.Output file : item.files()) {
                String name = file.file();
                if (name.endsWith(".tif")) {
                    files.add(outDir.resolve(name));
                } else if (name.endsWith(".png") && file.kind() != DemoItem.Kind.LINK
                        && !(hasStack && name.contains("montage"))) {
                    pictures.add(outDir.resolve(name));
                }
            }
            files.addAll(pictures);
        }
        return files;
    }

    /** Writes the macro that opens the files; returns its path. */
    static Path writeMacro(Path outDir, List<DemoItem> items) throws IOException {
        StringBuilder macro = new StringBuilder("// Opens the results of `ij-genai demo` in ImageJ:"
                + " bin/ij-genai -macro " + MACRO + "\n");
        for (Path file : filesToOpen(outDir, items)) {
            macro.append("open(\"").append(file.toAbsolutePath().toString().replace("\\", "/")
                    .replace("\"", "\\\"")).append("\"); enlargeSmall();\n");
        }
        // 64×64 results and step stacks would open in tiny windows.
        macro.append("function enlargeSmall() {\n"
                + "  if (getWidth() <= 128 && getHeight() <= 128) run(\"Set... \", \"zoom=400\");\n}\n");
        Path path = outDir.resolve(MACRO);
        AtomicFiles.writeString(path, macro.toString());
        return path;
    }

    /**
     * Starts ImageJ with the plugin installed, running the macro; returns a line for the user.
     *
     * @param home the installation folder, whose {@code bin/ij-genai} starts the GUI
     */
    static String show(Path home, Path macro) {
        Path launcher = home.resolve("bin").resolve("ij-genai");
        if (!Files.isExecutable(launcher)) {
            return "not opening ImageJ: no launcher at " + launcher + "; open the files from " + macro.getParent();
        }
        try {
            // ImageJ outlives the demo: its output goes to a file, so a pipe reading the demo's output ends.
            Path log = macro.resolveSibling(LOG);
            new ProcessBuilder(launcher.toString(), "-macro", macro.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return "opening the results in ImageJ (bin/ij-genai -macro " + macro + "; its messages go to " + log
                    + ")";
        } catch (IOException e) {
            return "could not start ImageJ (" + e.getMessage() + "); run bin/ij-genai -macro " + macro;
        }
    }
}
