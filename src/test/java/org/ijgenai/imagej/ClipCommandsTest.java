package org.ijgenai.imagej;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;

import org.ijgenai.core.search.ImageFileReader;
import org.ijgenai.core.search.IndexingReport;
import org.ijgenai.core.search.SearchHit;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands' dialog-free entry points: index an open stack, search it, label its slices. */
class ClipCommandsTest {

    @TempDir
    Path tmp;

    private static ImagePlus fixtureStack() throws IOException {
        ImageStack stack = new ImageStack(64, 64);
        for (int i = 0; i < 4; i++) {
            Path file = Fixtures.file("refs/clip_images/img" + i + ".png");
            stack.addSlice("img" + i, ClipImages.toProcessor(ImageFileReader.read(file)));
        }
        return new ImagePlus("fixture stack", stack);
    }

    @Test
    void anOpenStackIsIndexedSliceBySliceAndFoundAgain() throws IOException {
        Path model = Fixtures.file("tiny-clip");
        ImagePlus stack = fixtureStack();
        Path index = tmp.resolve("index");
        IndexingReport report = ClipIndexImagesCommand.index(model, null, stack, index, 2);
        assertEquals(4, report.embedded(), report.summary());

        // Searching with slice 3 itself finds slice 3 first, with cosine 1.
        List<SearchHit> hits = ClipSearchCommand.search(index, null, null, ClipImages.slice(stack, 3, null), 4);
        assertEquals(4, hits.size());
        assertEquals("imagej:fixture stack#slice=3", hits.get(0).location());
        assertEquals(1.0, hits.get(0).cosine(), 1e-5);

        // Re-indexing a smaller stack drops the slices that are gone.
        stack.getStack().deleteLastSlice();
        IndexingReport again = ClipIndexImagesCommand.index(model, null, stack, index, 2);
        assertEquals(1, again.removed(), again.summary());
        assertEquals(3, ClipSearchCommand.search(index, model, "a photo of a cat", null, 10).size());
    }

    @Test
    void labelSlicesGivesOneDistributionPerSliceAndLeavesTheStackAlone() throws IOException {
        ImagePlus stack = fixtureStack();
        String before = stack.getStack().getSliceLabel(2);
        ClipLabelSlicesCommand.Labelled result = ClipLabelSlicesCommand.label(stack, Fixtures.file("tiny-clip"),
                List.of("circle", "cat", "cells"), "a photo of a {}", 50.0);
        assertEquals(4, result.results().size());
        assertEquals(50.0, result.logitScale());
        for (var r : result.results()) {
            double sum = 0;
            for (double p : r.probabilities()) {
                sum += p;
            }
            assertEquals(1.0, sum, 1e-9);
        }
        assertEquals(before, stack.getStack().getSliceLabel(2));
        assertTrue(result.positions().length == 4);
    }
}
