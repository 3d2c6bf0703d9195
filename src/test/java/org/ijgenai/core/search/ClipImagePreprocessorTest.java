package org.ijgenai.core.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.ijgenai.core.GenAiException;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Hand-computed checks of transformers' size arithmetic, centre crop with padding, and config defaults. */
class ClipImagePreprocessorTest {

    private static ClipImageProcessorConfig config(String json) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        return ClipImageProcessorConfig.fromJson(o, "test");
    }

    @Test
    void shortestEdgeResizeTruncatesTheLongEdgeLikePythonInt() {
        ClipImageProcessorConfig c = config("{\"size\": {\"shortest_edge\": 64}}");
        // {height, width}: 64·100/80 = 80; 64·120/70 = 109.71 → 109; 64·97/61 = 101.77 → 101.
        assertArrayEquals(new int[] {64, 80}, c.resizeTarget(100, 80));
        assertArrayEquals(new int[] {109, 64}, c.resizeTarget(70, 120));
        assertArrayEquals(new int[] {101, 64}, c.resizeTarget(61, 97));
        assertArrayEquals(new int[] {64, 64}, c.resizeTarget(30, 30));
        assertArrayEquals(new int[] {336, 224}, config("{\"size\": 224}").resizeTarget(333, 500));
    }

    @Test
    void legacyIntegerSizesAndDefaultsFollowClipImageProcessor() {
        ClipImageProcessorConfig c = config("{\"size\": 224, \"crop_size\": 224}");
        assertEquals(224, c.shortestEdge());
        assertEquals(224, c.cropHeight());
        assertEquals(224, c.cropWidth());
        assertEquals(PilFilter.BICUBIC, c.resample());
        assertEquals(1.0 / 255, c.rescaleFactor(), 0);
        assertEquals(0.48145466, c.mean()[0], 0);
        ClipImageProcessorConfig exact =
                config("{\"size\": {\"height\": 32, \"width\": 48}, \"do_center_crop\": false}");
        assertArrayEquals(new int[] {32, 48}, exact.resizeTarget(500, 10));
        assertThrows(GenAiException.class, () -> config("{\"size\": {\"longest_edge\": 3}}"));
        assertThrows(GenAiException.class, () -> config("{\"image_mean\": [0.5, 0.5]}"));
    }

    @Test
    void centreCropPadsSmallImagesWithZerosLikeTransformers() {
        // A 3×2 image, values 1..6, cropped to 4×4 without resizing: the canvas is 4×4 with the image at
        // top = ceil(2/2) = 1, left = ceil(1/2) = 1; crop top = floor(−2/2) + 1 = 0, left = floor(−1/2) + 1 = 0.
        byte[] rgb = new byte[3 * 2 * 3];
        for (int i = 0; i < 6; i++) {
            rgb[i * 3] = (byte) (i + 1);
        }
        RgbImage cropped = ClipImagePreprocessor.centerCrop(new RgbImage(3, 2, rgb), 4, 4);
        assertEquals(4, cropped.width());
        assertEquals(4, cropped.height());
        int[] red = new int[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                red[y * 4 + x] = cropped.sample(x, y, 0);
            }
        }
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 2, 3, 0, 4, 5, 6, 0, 0, 0, 0}, red);
    }

    @Test
    void centreCropUsesFloorDivisionForOddMargins() {
        byte[] rgb = new byte[5 * 1 * 3];
        for (int i = 0; i < 5; i++) {
            rgb[i * 3 + 1] = (byte) (10 * i);
        }
        // (5 − 2) // 2 = 1: columns 1 and 2.
        RgbImage cropped = ClipImagePreprocessor.centerCrop(new RgbImage(5, 1, rgb), 1, 2);
        assertEquals(10, cropped.sample(0, 0, 1));
        assertEquals(20, cropped.sample(1, 0, 1));
    }

    @Test
    void rescaleAndNormaliseWorkInFloat32LikeNumpy() {
        ClipImagePreprocessor pre = new ClipImagePreprocessor(config("{\"size\": 1, \"crop_size\": 1}"));
        float[] v = pre.pixelValues(new RgbImage(1, 1, new byte[] {(byte) 255, 0, (byte) 128}));
        float r = (float) (255 * (1.0 / 255));
        assertEquals((r - 0.48145466f) / 0.26862954f, v[0], 0f);
        assertEquals((0f - 0.4578275f) / 0.26130258f, v[1], 0f);
        assertEquals(((float) (128 * (1.0 / 255)) - 0.40821073f) / 0.27577711f, v[2], 0f);
    }
}
