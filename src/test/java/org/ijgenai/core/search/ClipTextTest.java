package org.ijgenai.core.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ijgenai.core.Offline;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.io.NpzArchive;
import org.ijgenai.core.onnx.TensorSpec;
import org.ijgenai.core.tensor.ElementType;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.search.ClipTextInputs.Batch;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The text side of CLIP against transformers' input_ids and text_embeds for the fixture's four texts. */
class ClipTextTest {

    private static List<String> texts() throws IOException {
        List<String> out = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(Fixtures.file("refs/clip_cases.json"))) {
            JsonParser.parseReader(reader).getAsJsonObject().getAsJsonArray("texts")
                    .forEach(e -> out.add(e.getAsString()));
        }
        return out;
    }

    @Test
    void inputIdsAndTextEmbeddingsMatchTransformers() throws IOException {
        List<String> texts = texts();
        try (ClipModel model = ClipModel.open(Fixtures.file("tiny-clip"), SessionSettings.DEFAULT);
                NpzArchive npz = NpzArchive.open(Fixtures.file("refs/clip_refs.npz"))) {
            Batch batch = model.textInputs().encode(texts,
                    new TensorSpec("input_ids", ElementType.INT64,
                            new long[] {-1, -1}));
            assertArrayEquals(npz.get("input_ids").longs(), batch.inputIds().longs());

            float[][] embeds = model.embedTexts(texts);
            float[] raw = npz.get("text_embeds").floats();
            for (int t = 0; t < texts.size(); t++) {
                float[] expected = Vectors.normalized(Arrays.copyOfRange(raw, t * 16, (t + 1) * 16));
                for (int j = 0; j < 16; j++) {
                    assertEquals(expected[j], embeds[t][j], 1e-4, "text " + t + " component " + j);
                }
            }
        }
    }

    @Test
    void zeroShotProbabilitiesAreTheSoftmaxOfScaledCosines() throws IOException {
        try (ClipModel model = ClipModel.open(Fixtures.file("tiny-clip"), SessionSettings.DEFAULT);
                NpzArchive npz = NpzArchive.open(Fixtures.file("refs/clip_refs.npz"))) {
            List<String> texts = texts();
            // The fixture has no combined model.onnx, so the scale is the documented default.
            assertEquals(100.0, model.logitScale());
            ZeroShotClassifier classifier = new ZeroShotClassifier(model, texts, null, Double.NaN);
            RgbImage img4 = ImageFileReader.read(Fixtures.file("refs/clip_images/img4.png"));
            ZeroShotClassifier.Result result = classifier.classify(List.of(img4)).get(0);
            float[] cosine = npz.get("cosine").floats();
            double[] logits = new double[4];
            double max = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < 4; t++) {
                logits[t] = 100.0 * cosine[t * 8 + 4];
                max = Math.max(max, logits[t]);
            }
            double sum = 0;
            for (double l : logits) {
                sum += Math.exp(l - max);
            }
            for (int t = 0; t < 4; t++) {
                // Hand-computed softmax over the reference cosines; 5e-3 cosine error moves a logit by 0.5.
                assertEquals(Math.exp(logits[t] - max) / sum, result.probabilities()[t], 0.05, "label " + t);
                assertEquals(cosine[t * 8 + 4], result.cosines()[t], 5e-3);
            }
            assertEquals(1, result.best(), "img4 is closest to text 1 in the reference matrix");
            assertEquals(List.of("a photo of a x", "a photo of a y"),
                    ZeroShotClassifier.prompts(List.of("x", "y"), "a photo of a {}"));
        }
    }

    @Test
    void aModelWithOnlyTokenizerJsonTokenizesTheSame(@TempDir Path tmp)
            throws IOException {
        Path source = Fixtures.file("tiny-clip");
        Path dir = tmp.resolve("json-only");
        Files.createDirectories(dir);
        for (String name : List.of("tokenizer_config.json", "special_tokens_map.json")) {
            Files.copy(source.resolve(name), dir.resolve(name));
        }
        // A tokenizer.json as the tokenizers library writes it, from the fixture's vocab.json and merges.txt
        // (merges in the newer [left, right] form).
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("vocab", JsonParser.parseString(Files.readString(source.resolve("vocab.json"))));
        JsonArray merges = new JsonArray();
        for (String line : Files.readAllLines(source.resolve("merges.txt"))) {
            if (!line.startsWith("#version") && !line.isBlank()) {
                JsonArray pair = new JsonArray();
                pair.add(line.split(" ")[0]);
                pair.add(line.split(" ")[1]);
                merges.add(pair);
            }
        }
        model.add("merges", merges);
        JsonObject root = new JsonObject();
        root.add("model", model);
        Files.writeString(dir.resolve("tokenizer.json"), root.toString());
        System.setProperty(Offline.CACHE_ENV, tmp.resolve("cache").toString());
        try (NpzArchive npz = NpzArchive.open(Fixtures.file("refs/clip_refs.npz"))) {
            ClipTextInputs inputs = ClipTextInputs.open(dir);
            Batch batch = inputs.encode(texts(), new TensorSpec("input_ids",
                    ElementType.INT64, new long[] {-1, -1}));
            assertArrayEquals(npz.get("input_ids").longs(), batch.inputIds().longs());
        } finally {
            System.clearProperty(Offline.CACHE_ENV);
        }
    }
}
