package org.ijgenai.core.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.ijgenai.core.io.NpyArray;
import org.ijgenai.core.io.NpzArchive;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;

/**
 * The frames of GAN Latent Walk on the bundled shapes-gan ONNX export against the trained PyTorch generator run on
 * z's from numpy's RandomState and numpy's slerp ({@code tools/gan/make_gan_walk_fixture.py}).
 */
class GanWalkReferenceTest {

    private static final Path MODEL = Path.of("models/shapes-gan");
    private static final Path FIXTURE = Path.of("src/test/resources/gan/shapes-gan-walk.npz");

    @Test
    void slerpWalkThroughThreeSeedsMatchesPyTorch() throws Exception {
        check("walk_slerp", GanWalkRequest.walk(List.of(3L, 8L, 21L), 4, Interpolation.SLERP));
    }

    @Test
    void linearWalkMatchesPyTorch() throws Exception {
        check("walk_linear", GanWalkRequest.walk(List.of(3L, 8L), 5, Interpolation.LINEAR));
    }

    @Test
    void coordinateSweepMatchesPyTorch() throws Exception {
        check("sweep", GanWalkRequest.sweep(0, "0,5,63", 2.5, 3));
    }

    private static void check(String name, GanWalkRequest request) throws Exception {
        GanLatentWalk walk = GanLatentWalk.run(GanDescriptor.resolve(MODEL), request, SessionSettings.DEFAULT,
                ProgressListener.NONE, CancellationToken.NONE);
        try (NpzArchive npz = NpzArchive.open(FIXTURE)) {
            NpyArray z = npz.get(name + "_z");
            NpyArray images = npz.get(name + "_images");
            int frames = (int) z.shape()[0];
            int zDim = (int) z.shape()[1];
            assertEquals(frames, walk.frames().size());
            float[] zs = z.floats();
            for (int f = 0; f < frames; f++) {
                float[] expected = java.util.Arrays.copyOfRange(zs, f * zDim, (f + 1) * zDim);
                assertArrayEquals(expected, walk.frames().get(f).z(), 1e-6f, name + " z of frame " + (f + 1));
            }
            long[] shape = images.shape();
            GanPictures pictures = walk.pictures();
            assertArrayEquals(new long[] {frames, 3, 32, 32}, shape);
            assertEquals(3, pictures.channels());
            int size = (int) (shape[1] * shape[2] * shape[3]);
            int plane = (int) (shape[2] * shape[3]);
            float[] reference = images.floats();
            double worst = 0;
            for (int f = 0; f < frames; f++) {
                float[] raw = pictures.raw().get(f);
                int[] rgb = pictures.rgb(f);
                for (int i = 0; i < size; i++) {
                    float r = reference[f * size + i];
                    worst = Math.max(worst, Math.abs(raw[i] - r));
                    int shift = 16 - 8 * (i / plane);
                    int expected8 = (int) Math.rint(Math.min(1, Math.max(0, (r + 1) / 2)) * 255);
                    int actual8 = rgb[i % plane] >> shift & 0xff;
                    assertTrue(Math.abs(actual8 - expected8) <= 1, name + " frame " + (f + 1) + " value " + i
                            + ": " + actual8 + " vs " + expected8);
                }
            }
            assertTrue(worst <= 1e-4, name + ": largest difference to PyTorch " + worst);
        }
    }
}
