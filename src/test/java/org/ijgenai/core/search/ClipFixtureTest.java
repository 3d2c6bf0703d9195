package org.ijgenai.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.io.NpzArchive;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** Pins the image side of CLIP against the shared tiny-clip fixture made by transformers and PIL. */
class ClipFixtureTest {

    private static final int IMAGES = 8;

    private static List<RgbImage> fixtureImages() throws IOException {
        Path dir = Fixtures.file("refs/clip_images");
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            images.add(ImageFileReader.read(dir.resolve("img" + i + ".png")));
        }
        return images;
    }

    @Test
    void pixelValuesMatchTransformersClipImageProcessor() throws IOException {
        Path model = Fixtures.file("tiny-clip");
        ClipImagePreprocessor pre = new ClipImagePreprocessor(
                ClipImageProcessorConfig.read(model.resolve("preprocessor_config.json")));
        List<RgbImage> images = fixtureImages();
        try (NpzArchive npz = NpzArchive.open(Fixtures.file("refs/clip_refs.npz"))) {
            float[] expected = npz.get("pixel_values").floats();
            int per = 3 * 64 * 64;
            for (int i = 0; i < IMAGES; i++) {
                float[] actual = pre.pixelValues(images.get(i));
                assertEquals(per, actual.length);
                double maxDiff = 0;
                for (int j = 0; j < per; j++) {
                    maxDiff = Math.max(maxDiff, Math.abs(actual[j] - expected[i * per + j]));
                }
                // Bit-exact PIL resampling gives identical float32 values; one grey level would be ≈ 0.0146.
                assertTrue(maxDiff < 1e-6, "image " + i + ": max |Δpixel_values| = " + maxDiff);
            }
        }
    }

    @Test
    void imageEmbeddingsMatchTransformers() throws IOException {
        Path dir = Fixtures.file("tiny-clip");
        List<RgbImage> images = fixtureImages();
        try (ClipModel model = ClipModel.open(dir, SessionSettings.DEFAULT);
                NpzArchive npz = NpzArchive.open(Fixtures.file("refs/clip_refs.npz"))) {
            float[][] embeddings = model.embedImages(images);
            float[] raw = npz.get("image_embeds").floats();
            int d = 16;
            for (int i = 0; i < IMAGES; i++) {
                float[] expected = Vectors.normalized(Arrays.copyOfRange(raw, i * d, (i + 1) * d));
                for (int j = 0; j < d; j++) {
                    assertEquals(expected[j], embeddings[i][j], 1e-4, "image " + i + " component " + j);
                }
            }
        }
    }
}
