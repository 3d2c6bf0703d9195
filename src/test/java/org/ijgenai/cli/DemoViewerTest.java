package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoViewerTest {

    @TempDir
    Path tmp;

    @Test
    void displayOnlyWithDisplayVariableOrDesktopSystems() {
        assertFalse(DemoViewer.hasDisplay(Map.of(), "Linux"));
        assertFalse(DemoViewer.hasDisplay(Map.of("DISPLAY", ""), "Linux"));
        assertTrue(DemoViewer.hasDisplay(Map.of("DISPLAY", ":0"), "Linux"));
        assertTrue(DemoViewer.hasDisplay(Map.of("WAYLAND_DISPLAY", "wayland-0"), "Linux"));
        assertTrue(DemoViewer.hasDisplay(Map.of(), "Mac OS X"));
        assertTrue(DemoViewer.hasDisplay(Map.of(), "Windows 11"));
    }

    @Test
    void macroOpensStacksThenPicturesButNotMontagesOrSkippedSections() throws Exception {
        DemoItem item = new DemoItem("txt2img", "t", "x",
                List.of(new DemoItem.Output("a.png", "result", DemoItem.Kind.PIXELS),
                        new DemoItem.Output("a-steps-montage.png", "montage", DemoItem.Kind.IMAGE),
                        new DemoItem.Output("a-steps.tif", "stack", DemoItem.Kind.LINK),
                        new DemoItem.Output("a.tsv", "table", DemoItem.Kind.LINK)),
                Map.of(), List.of(), 1);
        DemoItem noStack = new DemoItem("clip", "c", "x",
                List.of(new DemoItem.Output("clip-search-montage.png", "hits", DemoItem.Kind.IMAGE)), Map.of(),
                List.of(), 1);
        assertEquals(List.of(tmp.resolve("a-steps.tif"), tmp.resolve("a.png"), tmp.resolve("clip-search-montage.png")),
                DemoViewer.filesToOpen(tmp, List.of(item, noStack)), "montages only without a stack");
        Path macro = DemoViewer.writeMacro(tmp, List.of(item, DemoItem.skipped("segment", "s", "why")));
        assertEquals(tmp.resolve(DemoViewer.MACRO), macro);
        List<String> lines = Files.readAllLines(macro);
        assertEquals(List.of("open(\"" + tmp.resolve("a-steps.tif") + "\"); enlargeSmall();", "open(\""
                + tmp.resolve("a.png") + "\"); enlargeSmall();"), lines.subList(1, 3));
        assertTrue(lines.get(3).startsWith("function enlargeSmall()"), lines.get(3));
    }
}
