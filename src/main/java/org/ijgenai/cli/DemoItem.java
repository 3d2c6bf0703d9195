package org.ijgenai.cli;

import java.util.List;
import java.util.Map;

/**
 * One section of the demo's output: what it shows, the files it wrote (relative to the output folder), the
 * parameters that reproduce it, the {@code ij-genai} command lines it ran and how long it took.
 *
 * @param id a short key, used as the HTML anchor
 * @param title the section heading
 * @param text one or two sentences on what the section shows, or why it was skipped
 * @param files the files written, in the order to show them
 * @param parameters every parameter that determines the result (prompts, seeds, steps, scheduler, model paths …)
 * @param commands the command lines that made the files, runnable from the installation folder
 * @param seconds the wall time of the section
 */
record DemoItem(String id, String title, String text, List<DemoItem.Output> files, Map<String, String> parameters,
        List<String> commands, double seconds) {

    /** Copies the lists so the record stays immutable. */
    DemoItem {
        files = List.copyOf(files);
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        commands = List.copyOf(commands);
    }

    /** A section that did not run, with the reason and what to do about it. */
    static DemoItem skipped(String id, String title, String reason) {
        return new DemoItem(id, title, reason, List.of(), Map.of(), List.of(), 0);
    }

    /** Whether the section ran and wrote files. */
    boolean ran() {
        return !files.isEmpty();
    }

    /**
     * One written file.
     *
     * @param file the path relative to the output folder, with forward slashes
     * @param caption what the file holds
     * @param kind how the page presents it
     */
    record Output(String file, String caption, Kind kind) {}

    /** How the demo page presents a file. */
    enum Kind {
        /** A PNG shown in the page. */
        IMAGE,
        /** A small PNG (64×64) shown enlarged with sharp pixels. */
        PIXELS,
        /** A TIFF stack or other file that browsers cannot show: linked, for ImageJ. */
        LINK
    }
}
