package org.ijgenai.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/** Compares the PNGs a CLI run wrote with a reference library's float images, as the fixture tests need it. */
public final class ReferenceImages {

    private ReferenceImages() {}

    /**
     * Checks the PNGs against the reference stored under {@code key} in {@code npz}, as
     * {@link #assertPngsMatch(Path, float[], long[], String, int)} does.
     */
    public static void assertPngsMatchNpz(Path dir, Path npz, String key, int tolerance) throws IOException {
        try (org.ijgenai.core.io.NpzArchive archive = org.ijgenai.core.io.NpzArchive.open(npz)) {
            assertPngsMatch(dir, archive.get(key).floats(), archive.get(key).shape(), key, tolerance);
        }
    }

    /**
     * Checks {@code out.png} (or {@code out-1.png}, {@code out-2.png}, … for a batch) in {@code dir} against the
     * reference images: float32 NHWC in [0, 1] before 8-bit quantisation, each channel within {@code tolerance}
     * levels of round(clip(x)·255).
     *
     * @param shape the reference's [batch, height, width, 3]
     */
    public static void assertPngsMatch(Path dir, float[] expected, long[] shape, String key, int tolerance)
            throws IOException {
        int batch = (int) shape[0];
        int h = (int) shape[1];
        int w = (int) shape[2];
        for (int b = 0; b < batch; b++) {
            Path png = batch > 1 ? dir.resolve("out-" + (b + 1) + ".png") : dir.resolve("out.png");
            BufferedImage image = ImageIO.read(png.toFile());
            assertEquals(w, image.getWidth());
            assertEquals(h, image.getHeight());
            int worst = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = image.getRGB(x, y);
                    int[] got = {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF};
                    for (int ch = 0; ch < 3; ch++) {
                        float ref = expected[((b * h + y) * w + x) * 3 + ch];
                        int want = (int) Math.rint(Math.max(0, Math.min(1, ref)) * 255f);
                        worst = Math.max(worst, Math.abs(got[ch] - want));
                    }
                }
            }
            assertTrue(worst <= tolerance, key + " image " + b + ": worst difference " + worst + "/255");
        }
    }
}
