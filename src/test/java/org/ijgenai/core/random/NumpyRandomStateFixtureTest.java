package org.ijgenai.core.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.ijgenai.core.io.NpyArray;
import org.ijgenai.core.io.NpzArchive;
import org.ijgenai.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** Checks the seeded draws against the shared fixtures' numpy output (skipped when the fixtures are absent). */
class NumpyRandomStateFixtureTest {

    @Test
    void seed42LatentsMatchNumpy() throws Exception {
        try (NpzArchive refs = NpzArchive.open(Fixtures.file("refs/sd_refs.npz"))) {
            NpyArray expected = refs.get("randn_seed42_1x4x8x8");
            assertArrayEquals(new long[] {1, 4, 8, 8}, expected.shape());
            float[] actual = new NumpyRandomState(42).randnFloat(1, 4, 8, 8);
            assertArrayEquals(expected.floats(), actual, 0f);
        }
    }
}
