package org.ijgenai.core.style;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import javax.imageio.ImageIO;

import org.ijgenai.core.tiling.PlanarImage;

/** The tiny generators, test images and python references made by tools/style/make_tiny_generators.py. */
public final class StyleTestData {

    private StyleTestData() {}

    /** A file under src/test/resources/org/ijgenai/core/style. */
    public static Path resource(String name) {
        try {
            return Paths.get(StyleTestData.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + name + " missing", e);
        }
    }

    /** An 8-bit RGB PNG as [0, 1] planes. */
    public static PlanarImage png(String name) {
        try {
            BufferedImage image = ImageIO.read(resource(name).toFile());
            int w = image.getWidth();
            int h = image.getHeight();
            PlanarImage out = PlanarImage.zeros(3, w, h);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = image.getRGB(x, y);
                    out.plane(0)[y * w + x] = ((rgb >> 16) & 0xff) / 255f;
                    out.plane(1)[y * w + x] = ((rgb >> 8) & 0xff) / 255f;
                    out.plane(2)[y * w + x] = (rgb & 0xff) / 255f;
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A python reference: H × W × 3 float32 little-endian, RGB, values in [0, 255]. */
    public static float[] reference(String name) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(resource(name))).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[bytes.remaining() / 4];
            bytes.asFloatBuffer().get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The largest |ours − reference| in 0–255 units, ours taken as float. */
    public static double maxFloatError(PlanarImage ours, float[] reference) {
        double worst = 0;
        int n = ours.width() * ours.height();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                worst = Math.max(worst, Math.abs(ours.plane(c)[i] * 255.0 - reference[3 * i + c]));
            }
        }
        return worst;
    }

    /** The largest |ours − reference| in 0–255 units, ours rounded to 8 bits as it is saved. */
    public static double max8BitError(PlanarImage ours, float[] reference) {
        double worst = 0;
        int n = ours.width() * ours.height();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                worst = Math.max(worst, Math.abs(Math.round(ours.plane(c)[i] * 255.0) - reference[3 * i + c]));
            }
        }
        return worst;
    }
}
