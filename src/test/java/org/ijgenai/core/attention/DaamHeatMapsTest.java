package org.ijgenai.core.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.ijgenai.core.io.NpyArray;
import org.ijgenai.core.io.NpzArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DAAM's aggregation of cross-attention maps against the same formulas written out in numpy
 * (tools/attention/daam_reference.py), on synthetic maps of five layers at three resolutions of a non-square
 * 8×12 latent grid, two heads, three steps and two images.
 */
class DaamHeatMapsTest {

    private static final int H = 8;
    private static final int W = 12;
    private static final int IMAGE = 1;
    private static final int PROMPT_TOKENS = 4;
    private static final int[][] WORDS = {{1}, {2, 3}, {4}};
    private static List<AttentionStep> steps;
    private static NpzArchive refs;

    @BeforeAll
    static void load() throws Exception {
        refs = NpzArchive.open(Path.of(DaamHeatMapsTest.class.getResource(
                "/org/ijgenai/core/attention/daam_refs.npz").toURI()));
        long[] grids = refs.get("grids").longs();
        int layers = grids.length / 2;
        List<List<LayerAttention>> perStep = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            perStep.add(new ArrayList<>());
        }
        for (int l = 0; l < layers; l++) {
            NpyArray p = refs.get("layer" + l); // [steps, images, heads, q, keys]
            float[] all = p.floats();
            int perStepValues = all.length / 3;
            for (int s = 0; s < 3; s++) {
                perStep.get(s).add(new LayerAttention("layer" + l, 2, 2, (int) grids[2 * l], (int) grids[2 * l + 1],
                        77, Arrays.copyOfRange(all, s * perStepValues, (s + 1) * perStepValues)));
            }
        }
        steps = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            steps.add(new AttentionStep(s + 1, 3, 999 - 333 * s, perStep.get(s)));
        }
    }

    @Test
    void tokenMapsOfTheChosenStepsMatchNumpy() throws Exception {
        float[][] maps = DaamHeatMaps.tokenMaps(steps, IMAGE, H, W, PROMPT_TOKENS,
                new DaamHeatMaps.Selection(Set.of(1, 3), Set.of(), false));
        assertClose(refs.get("tokens").floats(), flatten(maps), 1e-6, "tokens");
    }

    @Test
    void normalisedAcrossTheWordsMatchesNumpy() throws Exception {
        float[][] maps = DaamHeatMaps.tokenMaps(steps, IMAGE, H, W, PROMPT_TOKENS,
                new DaamHeatMaps.Selection(Set.of(1, 3), Set.of(), true));
        assertClose(refs.get("tokens_normalized").floats(), flatten(maps), 1e-5, "normalised");
    }

    @Test
    void onlyTheLayersOfTheChosenFactor() throws Exception {
        float[][] maps = DaamHeatMaps.tokenMaps(steps, IMAGE, H, W, PROMPT_TOKENS,
                new DaamHeatMaps.Selection(Set.of(), Set.of(2), false));
        assertClose(refs.get("tokens_factor2").floats(), flatten(maps), 1e-6, "factor 2");
    }

    @Test
    void wordsMergeTheirTokensAndExpandToTheImage() throws Exception {
        float[][] maps = DaamHeatMaps.tokenMaps(steps, IMAGE, H, W, PROMPT_TOKENS,
                new DaamHeatMaps.Selection(Set.of(1, 3), Set.of(), false));
        for (int i = 0; i < WORDS.length; i++) {
            float[] expanded = DaamHeatMaps.expand(DaamHeatMaps.wordMap(maps, WORDS[i]), H, W, 64, 96);
            assertClose(refs.get("word" + i).floats(), expanded, 1e-6, "word " + i);
            assertClose(refs.get("word" + i + "_minmax").floats(), DaamHeatMaps.minMax(expanded), 1e-5,
                    "word " + i + " min-max");
        }
    }

    @Test
    void theLayerGridIsTheLatentGridHalvedRoundingUp() {
        assertArrayEquals(new int[] {5, 7}, CrossAttentionRecorder.grid(35, 9, 13));
        assertArrayEquals(new int[] {9, 13}, CrossAttentionRecorder.grid(117, 9, 13));
        assertArrayEquals(new int[] {2, 3}, CrossAttentionRecorder.grid(6, 8, 12));
    }

    private static float[] flatten(float[][] maps) {
        float[] out = new float[maps.length * maps[0].length];
        for (int i = 0; i < maps.length; i++) {
            System.arraycopy(maps[i], 0, out, i * maps[0].length, maps[0].length);
        }
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what + " size");
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        assertTrue(worst <= relative * scale, what + ": max |Δ| = " + worst + " for values up to " + scale);
    }
}
