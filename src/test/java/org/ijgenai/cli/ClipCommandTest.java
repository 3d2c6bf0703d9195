package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.ijgenai.core.io.NpzArchive;
import org.ijgenai.core.search.ImageIndexWriter;
import org.ijgenai.core.search.IndexMetadata;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** {@code clip index} then {@code clip search --text} reproduces the fixture's reference cosine matrix. */
class ClipCommandTest {

    @TempDir
    Path tmp;

    /** Runs the command in-process and returns what it printed to standard output. */
    private static String run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ClipCommand command = new ClipCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = command.run(new CliArgs(List.of(args), command.flags()));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int imageNumber(String path) {
        String name = Path.of(path).getFileName().toString();
        return Integer.parseInt(name.substring(3, name.indexOf('.')));
    }

    @Test
    void indexThenSearchByTextGivesTheReferenceCosinesInTheReferenceOrder() throws Exception {
        Path model = Fixtures.file("tiny-clip");
        Path images = Fixtures.file("refs/clip_images");
        Path index = tmp.resolve("index");
        String summary = run("index", "--model", model.toString(), "--images", images.toString(), "--index",
                index.toString(), "--quiet");
        assertTrue(summary.contains("8 embedded"), summary);

        JsonObject cases;
        try (Reader reader = Files.newBufferedReader(Fixtures.file("refs/clip_cases.json"))) {
            cases = JsonParser.parseReader(reader).getAsJsonObject();
        }
        JsonArray texts = cases.getAsJsonArray("texts");
        JsonArray rankings = cases.getAsJsonArray("ranking_per_text");
        float[] cosine;
        try (NpzArchive npz = NpzArchive.open(Fixtures.file("refs/clip_refs.npz"))) {
            cosine = npz.get("cosine").floats();
        }
        int images8 = 8;
        for (int t = 0; t < texts.size(); t++) {
            // No --model: the index remembers which model made it.
            String output = run("search", "--index", index.toString(), "--text", texts.get(t).getAsString(),
                    "--top", "8");
            String[] lines = output.strip().split("\n");
            assertEquals(images8, lines.length, output);
            List<Integer> order = new ArrayList<>();
            for (int r = 0; r < lines.length; r++) {
                String[] cols = lines[r].split("\t");
                assertEquals(3, cols.length, "rank<TAB>score<TAB>path: " + lines[r]);
                assertEquals(r + 1, Integer.parseInt(cols[0]));
                assertTrue(cols[1].matches("-?\\d\\.\\d{4}"), "score with 4 decimals: " + cols[1]);
                int image = imageNumber(cols[2]);
                order.add(image);
                double tolerance = image < 4 ? 1e-3 : 5e-3;
                assertEquals(cosine[t * images8 + image], Double.parseDouble(cols[1]), tolerance + 5e-5,
                        "text " + t + " image " + image);
            }
            List<Integer> expected = new ArrayList<>();
            rankings.get(t).getAsJsonArray().forEach(e -> expected.add(e.getAsInt()));
            assertEquals(expected, order, "ranking for '" + texts.get(t).getAsString() + "'");
        }
    }

    @Test
    void searchByImageFindsThatImageFirstWithCosineOne() throws Exception {
        Path images = Fixtures.file("refs/clip_images");
        Path index = tmp.resolve("index");
        run("index", "--model", Fixtures.file("tiny-clip").toString(), "--images", images.toString(), "--index",
                index.toString(), "--quiet");
        String output = run("search", "--index", index.toString(), "--model", Fixtures.file("tiny-clip").toString(),
                "--image", images.resolve("img5.png").toString(), "--top", "3");
        String[] first = output.split("\n")[0].split("\t");
        assertEquals("1", first[0]);
        assertEquals("1.0000", first[1]);
        assertTrue(first[2].endsWith("img5.png"), output);
    }

    @Test
    void labelPrintsSoftmaxProbabilitiesThatSumToOne() throws Exception {
        String output = run("label", "--model", Fixtures.file("tiny-clip").toString(), "--image",
                Fixtures.file("refs/clip_images/img0.png").toString(), "--labels", "circle, cat, cells",
                "--template", "a photo of a {}");
        String[] lines = output.strip().split("\n");
        assertEquals("slice\tlabel\tprobability\tp(circle)\tp(cat)\tp(cells)", lines[0]);
        String[] cols = lines[1].split("\t");
        double sum = 0;
        for (int i = 3; i < 6; i++) {
            sum += Double.parseDouble(cols[i]);
        }
        assertEquals(1.0, sum, 2e-4);
    }

    @Test
    void mistakesGiveOneLineMessagesAndNonZeroExitCodes() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        int missing = Main.run(new String[] {"clip", "search", "--index", tmp.resolve("none").toString(), "--text",
            "x"}, out, errStream);
        assertEquals(1, missing);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("No CLIP index at"), err.toString());

        err.reset();
        int both = Main.run(new String[] {"clip", "search", "--index", "i", "--text", "x", "--image", "y.png"}, out,
                errStream);
        assertEquals(2, both);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("exactly one of --text or --image"));

        err.reset();
        Files.createDirectories(tmp.resolve("empty"));
        int empty = Main.run(new String[] {"clip", "index", "--model", "/nonexistent/model", "--images",
            tmp.resolve("empty").toString(), "--index", tmp.resolve("idx").toString()}, out, errStream);
        assertEquals(1, empty);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Model folder not found: /nonexistent/model"),
                err.toString());
        assertTrue(Set.of(1, 2).contains(Main.run(new String[] {"clip", "frobnicate"}, out, errStream)));

        err.reset();
        Path other = tmp.resolve("other-model-index");
        ImageIndexWriter.open(other, new IndexMetadata(
                "clip-0123456789abcdef", "/models/elsewhere", 16)).close();
        int mismatch = Main.run(new String[] {"clip", "search", "--index", other.toString(), "--model",
            Fixtures.file("tiny-clip").toString(), "--text", "a cat"}, out, errStream);
        assertEquals(1, mismatch);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("was built with model clip-0123456789abcdef"),
                err.toString());
        err.reset();
        int gone = Main.run(new String[] {"clip", "search", "--index", other.toString(), "--text", "a cat"}, out,
                errStream);
        assertEquals(1, gone);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("which is no longer there"), err.toString());
    }
}
