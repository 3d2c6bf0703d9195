package org.ijgenai.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.search.ClipModel;
import org.ijgenai.core.search.ClipSearch;
import org.ijgenai.core.search.ImageFileReader;
import org.ijgenai.core.search.ImageIndex;
import org.ijgenai.core.search.ImageIndexer;
import org.ijgenai.core.search.IndexingReport;
import org.ijgenai.core.search.SearchHit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLIP Spark job in local[2] mode on a generated folder with the bundled shapes-clip: its merged index answers
 * like the single-machine {@code clip index} of the same files, bad files land in the errors table, and a rerun
 * does nothing.
 */
class SparkClipIndexIT {

    private static final int IMAGES = 300;

    @TempDir
    static Path tmp;
    private static Path images;
    private static List<Path> corrupt;
    private static Path singleIndex;
    private static Path out;
    private static Path sparkIndex;
    private static String firstRun;
    private static String secondRun;

    @BeforeAll
    static void indexBothWays() throws IOException {
        images = tmp.resolve("images");
        List<Path> drawn = TestImages.shapes(images, IMAGES, 18);
        corrupt = TestImages.corrupt(images.resolve("bad"), drawn.get(0));
        singleIndex = tmp.resolve("single-index");
        try (ClipModel model = ClipModel.open(TestImages.SHAPES_CLIP, SessionSettings.DEFAULT)) {
            IndexingReport report = new ImageIndexer(model, ImageIndexer.Settings.DEFAULT).indexFolder(images,
                    singleIndex, ProgressListener.NONE, CancellationToken.NONE);
            assertEquals(IMAGES, report.embedded(), report.summary());
        }
        out = tmp.resolve("out");
        sparkIndex = tmp.resolve("spark-index");
        firstRun = runJob();
        secondRun = runJob();
    }

    static String runJob() {
        return SparkJobs.run("clip-index", "--model", TestImages.SHAPES_CLIP.toString(), "--input",
                images.toString(), "--out", out.toString(), "--index", sparkIndex.toString(), "--per-partition",
                "40");
    }

    @Test
    void mergedIndexGivesTheSingleMachineTopTenForTextAndImageQueries() throws IOException {
        List<String> texts = List.of("a red circle on a blue background", "a green square", "a yellow triangle on a"
                + " black background", "a white circle", "a blue square on a yellow background");
        try (ClipSearch single = ClipSearch.open(singleIndex, null, SessionSettings.DEFAULT);
                ImageIndex merged = ImageIndex.open(sparkIndex)) {
            assertEquals(single.index().metadata(), merged.metadata(), "same model id, path and dimension");
            assertEquals(IMAGES, merged.size());
            for (String text : texts) {
                float[] q = single.model().embedTexts(List.of(text))[0];
                assertSameHits(single.index().search(q, 10), merged.search(q, 10), text);
                assertSameHits(single.index().exactSearch(q, 10), merged.search(q, 10), text + " (exact)");
            }
            RgbImage probe = ImageFileReader.read(images.resolve("set07/img0071.png"));
            float[] q = single.model().embedImages(List.of(probe))[0];
            assertSameHits(single.index().search(q, 10), merged.search(q, 10), "image query");
        }
        // The CLI's search opens the Spark index as it opens its own.
        try (ClipSearch viaCli = ClipSearch.open(sparkIndex, null, SessionSettings.DEFAULT)) {
            assertEquals(10, viaCli.byText("a red circle", 10).size());
        }
    }

    private static void assertSameHits(List<SearchHit> expected, List<SearchHit> actual, String query) {
        assertEquals(expected.size(), actual.size(), query);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).image().path(), actual.get(i).image().path(), query + " rank " + (i + 1));
            assertEquals(expected.get(i).cosine(), actual.get(i).cosine(), 1e-5, query + " rank " + (i + 1));
        }
    }

    @Test
    void everyImageIsInTheTableOnceAndBadFilesAreErrorsWithReasons() {
        assertTrue(firstRun.contains(IMAGES + " processed, 3 error(s)"), firstRun);
        assertTrue(secondRun.contains("already done, 0 processed, 0 error(s)"), secondRun);
        SparkSession spark = SparkJobs.session();
        try {
            Dataset<Row> table = spark.read().parquet(out.resolve("embeddings").toString());
            assertEquals(IMAGES, table.count());
            assertEquals(IMAGES, table.select("path").distinct().count());
            Row first = table.orderBy("path").first();
            assertEquals(images.resolve("set00/img0000.png").toAbsolutePath().toString(), first.getString(0));
            assertEquals(64, first.getList(first.fieldIndex("embedding")).size(), "shapes-clip's projection_dim");
            List<Row> errors = spark.read().parquet(out.resolve("errors").toString()).orderBy("path")
                    .collectAsList();
            Set<String> paths = errors.stream().map(r -> r.getString(0)).collect(Collectors.toSet());
            assertEquals(corrupt.stream().map(p -> p.toAbsolutePath().toString()).collect(Collectors.toSet()),
                    paths);
            for (Row r : errors) {
                String reason = r.getString(r.fieldIndex("reason"));
                assertTrue(reason.contains("cannot decode") || reason.contains("not a readable image"),
                        r.getString(0) + ": " + reason);
                assertEquals("clip-index", r.getString(r.fieldIndex("job")));
            }
        } finally {
            spark.stop();
        }
    }

    @Test
    void mergedShardsAreRemovedAndNoTemporaryFilesRemain() throws IOException {
        assertTrue(!Files.exists(out.resolve("shards")) || Files.list(out.resolve("shards")).findAny().isEmpty());
        assertTrue(!Files.exists(out.resolve("_tmp")));
        Set<String> keys = new HashSet<>();
        try (ImageIndex merged = ImageIndex.open(sparkIndex)) {
            merged.forEachEntry((entry, vector) -> assertTrue(keys.add(entry.key()), "twice: " + entry.key()));
        }
        assertEquals(IMAGES, keys.size());
    }
}
