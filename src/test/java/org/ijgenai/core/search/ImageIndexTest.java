package org.ijgenai.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.io.NpzArchive;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Indexing the fixture images and searching with transformers' text embeddings reproduces the reference cosine
 * matrix; re-indexing is incremental; bad input is refused with clear messages.
 */
class ImageIndexTest {

    private static ClipModel model;

    @TempDir
    Path tmp;

    @BeforeAll
    static void openModel() {
        model = ClipModel.open(Fixtures.file("tiny-clip"), SessionSettings.DEFAULT);
    }

    @AfterAll
    static void closeModel() {
        if (model != null) {
            model.close();
        }
    }

    private Path copyFixtureImages() throws IOException {
        Path images = tmp.resolve("images");
        Path nested = images.resolve("nested");
        Files.createDirectories(nested);
        Path source = Fixtures.file("refs/clip_images");
        for (int i = 0; i < 8; i++) {
            // Half in a subfolder, so the walk must be recursive.
            Path target = (i % 2 == 0 ? images : nested).resolve("img" + i + ".png");
            Files.copy(source.resolve("img" + i + ".png"), target);
        }
        return images;
    }

    private static ImageIndexer indexer(int batch) {
        return new ImageIndexer(model, new ImageIndexer.Settings(batch, 2));
    }

    private static int imageNumber(SearchHit hit) {
        String name = Path.of(hit.image().path()).getFileName().toString();
        return Integer.parseInt(name.substring(3, name.indexOf('.')));
    }

    @Test
    void searchWithReferenceTextEmbeddingsGivesReferenceCosinesInReferenceOrder() throws IOException {
        Path images = copyFixtureImages();
        Path index = tmp.resolve("index");
        IndexingReport report = indexer(3).indexFolder(images, index, ProgressListener.NONE, CancellationToken.NONE);
        assertEquals(8, report.embedded(), report.summary());
        try (NpzArchive npz = NpzArchive.open(Fixtures.file("refs/clip_refs.npz"));
                ImageIndex search = ImageIndex.open(index)) {
            float[] texts = npz.get("text_embeds").floats();
            float[] cosine = npz.get("cosine").floats();
            for (int t = 0; t < 4; t++) {
                List<SearchHit> hits = search.search(Arrays.copyOfRange(texts, t * 16, (t + 1) * 16), 8);
                assertEquals(8, hits.size());
                double previous = Double.POSITIVE_INFINITY;
                for (SearchHit hit : hits) {
                    int image = imageNumber(hit);
                    double expected = cosine[t * 8 + image];
                    // Images 0-3 are 64×64 (no resize); 4-7 are resized and cropped.
                    double tolerance = image < 4 ? 1e-3 : 5e-3;
                    assertEquals(expected, hit.cosine(), tolerance, "text " + t + " image " + image);
                    assertTrue(hit.cosine() <= previous + 1e-7, "hits must come best first");
                    previous = hit.cosine();
                }
                List<SearchHit> exact = search.exactSearch(Arrays.copyOfRange(texts, t * 16, (t + 1) * 16), 8);
                for (int r = 0; r < 8; r++) {
                    assertEquals(imageNumber(exact.get(r)), imageNumber(hits.get(r)), "HNSW order, text " + t);
                }
            }
        }
    }

    @Test
    void reindexingEmbedsOnlyNewAndChangedFilesAndDropsDeletedOnes() throws IOException {
        Path images = copyFixtureImages();
        Path index = tmp.resolve("index");
        assertEquals(8, indexer(4).indexFolder(images, index, ProgressListener.NONE, CancellationToken.NONE)
                .embedded());

        IndexingReport again = indexer(4).indexFolder(images, index, ProgressListener.NONE, CancellationToken.NONE);
        assertEquals(0, again.embedded(), again.summary());
        assertEquals(8, again.unchanged());

        // img1 takes img5's content (a different size and picture), img2 is deleted, a new image is added.
        Path changed = images.resolve("nested/img1.png");
        Files.copy(images.resolve("nested/img5.png"), changed, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(changed, FileTime.fromMillis(Files.getLastModifiedTime(changed).toMillis() + 5000));
        Files.delete(images.resolve("img2.png"));
        Files.copy(images.resolve("img0.png"), images.resolve("copy-of-0.png"));
        IndexingReport third = indexer(4).indexFolder(images, index, ProgressListener.NONE, CancellationToken.NONE);
        assertEquals(2, third.embedded(), third.summary());
        assertEquals(1, third.removed(), third.summary());
        assertEquals(6, third.unchanged(), third.summary());

        try (ImageIndex search = ImageIndex.open(index)) {
            assertEquals(8, search.size());
            float[] img5 = model.embedImages(List.of(ImageFileReader.read(images.resolve("nested/img5.png"))))[0];
            List<SearchHit> hits = search.exactSearch(img5, 2);
            List<String> top = new ArrayList<>();
            for (SearchHit h : hits) {
                top.add(Path.of(h.image().path()).getFileName().toString());
                assertEquals(1.0, h.cosine(), 1e-5);
            }
            assertTrue(top.containsAll(List.of("img5.png", "img1.png")), "re-embedded img1 now equals img5: " + top);
        }
    }

    @Test
    void corruptImagesAreSkippedAndListedAndTheRunGoesOn() throws IOException {
        Path images = copyFixtureImages();
        Files.writeString(images.resolve("broken.png"), "this is not a PNG");
        Files.write(images.resolve("truncated.png"), Arrays.copyOf(Files.readAllBytes(images.resolve("img0.png")), 60));
        Files.writeString(images.resolve("notes.txt"), "ignored: not an image suffix");
        IndexingReport report = indexer(3).indexFolder(images, tmp.resolve("index"), ProgressListener.NONE,
                CancellationToken.NONE);
        assertEquals(8, report.embedded());
        assertEquals(2, report.skipped().size(), report.skipped().toString());
        assertTrue(report.skipped().stream().anyMatch(s -> s.path().endsWith("broken.png")));
        assertTrue(report.skipped().stream().anyMatch(s -> s.path().endsWith("truncated.png")));
    }

    @Test
    void cancellingKeepsFinishedBatchesAndTheIndexStaysUsable() throws IOException {
        Path images = copyFixtureImages();
        Path index = tmp.resolve("index");
        CancellationToken token = new CancellationToken();
        AtomicInteger reports = new AtomicInteger();
        ProgressListener cancelAfterFirstBatch = (done, total, message) -> {
            if (done >= 2 && reports.incrementAndGet() == 1) {
                token.cancel();
            }
        };
        IndexingReport report = indexer(2).indexFolder(images, index, cancelAfterFirstBatch, token);
        assertTrue(report.cancelled());
        assertEquals(2, report.embedded(), report.summary());
        try (ImageIndex search = ImageIndex.open(index)) {
            assertEquals(2, search.size());
        }
        IndexingReport rest = indexer(2).indexFolder(images, index, ProgressListener.NONE, CancellationToken.NONE);
        assertFalse(rest.cancelled());
        assertEquals(6, rest.embedded(), rest.summary());
        assertEquals(2, rest.unchanged());
    }

    @Test
    void aSecondWriterIsRefusedWhileTheFirstHoldsTheIndex() {
        Path index = tmp.resolve("index");
        IndexMetadata meta = new IndexMetadata(model.id(), null, 16);
        try (ImageIndexWriter first = ImageIndexWriter.open(index, meta)) {
            GenAiException e = assertThrows(GenAiException.class, () -> ImageIndexWriter.open(index, meta));
            assertTrue(e.getMessage().contains("another indexing run"), e.getMessage());
        }
        // Released on close: a later run may write.
        ImageIndexWriter.open(index, meta).close();
    }

    @Test
    void anIndexOfAnotherModelIsRefused() throws IOException {
        Path images = copyFixtureImages();
        Path index = tmp.resolve("index");
        ImageIndexWriter.open(index, new IndexMetadata("clip-someothermodel", "/models/other", 16)).close();
        GenAiException sameDim = assertThrows(GenAiException.class, () -> indexer(2).indexFolder(images, index,
                ProgressListener.NONE, CancellationToken.NONE));
        assertTrue(sameDim.getMessage().contains("was built with model clip-someothermodel"), sameDim.getMessage());

        Path wide = tmp.resolve("wide");
        ImageIndexWriter.open(wide, new IndexMetadata("clip-wide", "/models/wide", 512)).close();
        GenAiException otherDim = assertThrows(GenAiException.class, () -> indexer(2).indexFolder(images, wide,
                ProgressListener.NONE, CancellationToken.NONE));
        assertTrue(otherDim.getMessage().contains("512-d"), otherDim.getMessage());
        try (ImageIndex search = ImageIndex.open(wide)) {
            GenAiException query = assertThrows(GenAiException.class, () -> search.search(new float[16], 3));
            assertTrue(query.getMessage().contains("512-d"), query.getMessage());
        }
    }

    @Test
    void emptyFolderAndMissingIndexGiveClearMessages() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        GenAiException noImages = assertThrows(GenAiException.class, () -> indexer(2).indexFolder(empty,
                tmp.resolve("index"), ProgressListener.NONE, CancellationToken.NONE));
        assertTrue(noImages.getMessage().startsWith("No images found in"), noImages.getMessage());

        GenAiException missing = assertThrows(GenAiException.class, () -> ImageIndex.open(tmp.resolve("nowhere")));
        assertTrue(missing.getMessage().startsWith("No CLIP index at"), missing.getMessage());
        GenAiException notIndex = assertThrows(GenAiException.class, () -> ImageIndex.open(empty));
        assertTrue(notIndex.getMessage().startsWith("No CLIP index in"), notIndex.getMessage());
    }

    @Test
    void anImageFolderIsNeverUsedAsTheIndexFolder() throws IOException {
        Path images = copyFixtureImages();
        GenAiException same = assertThrows(GenAiException.class, () -> indexer(2).indexFolder(images, images,
                ProgressListener.NONE, CancellationToken.NONE));
        assertTrue(same.getMessage().contains("is the image folder"), same.getMessage());
        GenAiException other = assertThrows(GenAiException.class, () -> indexer(2).indexFolder(images,
                images.resolve("nested"), ProgressListener.NONE, CancellationToken.NONE));
        assertTrue(other.getMessage().contains("not empty and holds no CLIP index"), other.getMessage());
        assertEquals(4, ImageIndexer.listImages(images.resolve("nested"), null).size(), "images left untouched");
    }
}
