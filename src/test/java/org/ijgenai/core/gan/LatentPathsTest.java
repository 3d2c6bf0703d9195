package org.ijgenai.core.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The z's of walks and sweeps against closed forms computed here, and the messages for bad parameters. */
class LatentPathsTest {

    /** Shoemake's slerp written out in double precision, independently of core.tensor.Slerp. */
    private static double[] shoemake(float[] a, float[] b, double t) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        double theta = Math.acos(dot / Math.sqrt(na * nb));
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (Math.sin((1 - t) * theta) * a[i] + Math.sin(t * theta) * b[i]) / Math.sin(theta);
        }
        return out;
    }

    @Test
    void seed0NoiseIsNumpysRandn() {
        // np.random.RandomState(0).randn(4): the first values of numpy's best-known sequence
        assertArrayEquals(new float[] {1.7640524f, 0.4001572f, 0.978738f, 2.2408931f}, LatentPaths.noise(0, 4),
                1e-6f);
    }

    @Test
    void slerpWalkFramesFollowShoemakesFormulaAndShareTheirEnds() {
        List<LatentFrame> walk = LatentPaths.walk(List.of(3L, 8L, 21L), 5, Interpolation.SLERP, 64);
        assertEquals(2 * 4 + 1, walk.size());
        float[] a = LatentPaths.noise(3, 64);
        float[] b = LatentPaths.noise(8, 64);
        float[] c = LatentPaths.noise(21, 64);
        assertArrayEquals(a, walk.get(0).z());
        assertArrayEquals(b, walk.get(4).z());
        assertArrayEquals(c, walk.get(8).z());
        for (int k = 1; k < 4; k++) {
            double[] expected = shoemake(a, b, k / 4.0);
            for (int i = 0; i < 64; i++) {
                assertEquals(expected[i], walk.get(k).z()[i], 1e-5, "frame " + k + " entry " + i);
            }
        }
        double[] second = shoemake(b, c, 0.75);
        for (int i = 0; i < 64; i++) {
            assertEquals(second[i], walk.get(7).z()[i], 1e-5);
        }
        assertEquals("seed 3", walk.get(0).label());
        assertEquals("seed 3→8 t=0.250", walk.get(1).label());
        assertEquals("seed 8", walk.get(4).label());
        assertEquals("seed 8→21 t=0.750", walk.get(7).label());
    }

    @Test
    void slerpKeepsTheLengthOfTypicalZWhereTheLineShortensIt() {
        // Two independent 64-d Gaussians are nearly orthogonal: at t = 0.5 the line's length is about √(64/2),
        // the great circle's stays near √64. This is why walks default to slerp.
        float[] mid = LatentPaths.walk(List.of(1L, 2L), 3, Interpolation.SLERP, 64).get(1).z();
        float[] line = LatentPaths.walk(List.of(1L, 2L), 3, Interpolation.LINEAR, 64).get(1).z();
        float[] a = LatentPaths.noise(1, 64);
        float[] b = LatentPaths.noise(2, 64);
        for (int i = 0; i < 64; i++) {
            assertEquals(0.5 * a[i] + 0.5 * b[i], line[i], 1e-6);
        }
        double ratio = norm(mid) / Math.sqrt(0.5 * norm(a) * norm(a) + 0.5 * norm(b) * norm(b));
        assertTrue(Math.abs(ratio - 1) < 0.1, "slerp keeps the length: " + ratio);
        assertTrue(norm(line) < 0.8 * norm(mid), norm(line) + " vs " + norm(mid));
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    @Test
    void sweepChangesOnlyItsCoordinateByTheOffsets() {
        float[] base = LatentPaths.noise(7, 16);
        List<LatentFrame> sweep = LatentPaths.sweep(7, 16, new int[] {2, 9}, 3, 7);
        assertEquals(14, sweep.size());
        double[] offsets = {-3, -2, -1, 0, 1, 2, 3};
        for (int row = 0; row < 2; row++) {
            int coordinate = row == 0 ? 2 : 9;
            for (int k = 0; k < 7; k++) {
                float[] z = sweep.get(row * 7 + k).z();
                for (int i = 0; i < 16; i++) {
                    assertEquals(i == coordinate ? (float) (base[i] + offsets[k]) : base[i], z[i], 0f);
                }
            }
        }
        assertEquals(String.format(java.util.Locale.ROOT, "z[9] +2.00 (= %.3f)", base[9] + 2.0),
                sweep.get(12).label());
        assertArrayEquals(base, sweep.get(3).z(), "the middle column is the base z");
    }

    @Test
    void coordinateListsAcceptRangesAndLists() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, LatentPaths.parseCoordinates("0-3", 64));
        assertArrayEquals(new int[] {3, 10, 60, 61, 62, 63}, LatentPaths.parseCoordinates("3, 10,60-63,10", 64));
    }

    @Test
    void badParametersSayWhatWasExpected() {
        assertMessage("frames must be at least 2", () -> LatentPaths.walk(List.of(1L, 2L), 1, Interpolation.SLERP,
                8));
        assertMessage("a walk needs at least two seeds, got 1 [5]",
                () -> LatentPaths.walk(List.of(5L), 4, Interpolation.SLERP, 8));
        assertMessage("coordinates '64' are not within z's 0…63", () -> LatentPaths.parseCoordinates("64", 64));
        assertMessage("coordinates: 'x' is not an index", () -> LatentPaths.parseCoordinates("x", 64));
        assertMessage("coordinate 8 is outside z's 0…7", () -> LatentPaths.sweep(0, 8, new int[] {8}, 1, 3));
        assertMessage("sweep steps must be at least 2", () -> LatentPaths.offsets(2, 1));
        assertMessage("sweep range must be a positive number, was 0.0", () -> LatentPaths.offsets(0, 3));
        assertMessage("seed must be in [0, 4294967295]", () -> LatentPaths.noise(-1, 8));
        assertMessage("seeds: 'a' is not a seed", () -> LatentPaths.parseSeeds("1,a"));
        assertMessage("has 5001 frames; at most 4096", () -> LatentPaths.walk(List.of(1L, 2L), 5001,
                Interpolation.LINEAR, 8));
        assertMessage("interpolation must be slerp or linear, was 'cubic'", () -> Interpolation.parse("cubic"));
        assertMessage("frames must be at least 2", () -> GanWalkRequest.walk(List.of(1L, 2L), 1,
                Interpolation.SLERP));
        assertMessage("mode must be walk or sweep, was 'run'", () -> GanWalkRequest.Mode.parse("run"));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
