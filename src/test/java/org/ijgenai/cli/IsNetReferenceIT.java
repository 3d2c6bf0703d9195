package org.ijgenai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ij.IJ;
import ij.ImagePlus;

/**
 * The IS-Net check of issue 6: {@code ij-genai segment} on sample photos against an independent reference that
 * runs the same ONNX file with the plain ONNX Runtime API, resizing with its own bilinear code.
 *
 * <p>Needs the model ({@code bin/ij-genai segment setup}, or {@code IJ_GENAI_ISNET=folder}) and a folder of
 * photos ({@code IJ_GENAI_PHOTOS}); skips otherwise.
 */
class IsNetReferenceIT {

    private static Path modelFolder() {
        String configured = System.getenv("IJ_GENAI_ISNET");
        // Where `segment setup` installs it: the user's models folder, found by the model's name.
        org.ijgenai.core.catalog.ModelStore.Installed installed = new org.ijgenai.core.catalog.ModelStore(
                org.ijgenai.core.catalog.ModelDirectories.discover(null),
                org.ijgenai.core.catalog.DownloadSettings.defaults()).find("isnet-small");
        Path folder = configured != null ? Paths.get(configured) : installed != null ? installed.folder()
                : Paths.get("models", "isnet-small");
        assumeTrue(Files.isRegularFile(folder.resolve("model.onnx")), "IS-Net not installed at " + folder
                + "; run bin/ij-genai segment setup");
        return folder;
    }

    private static List<Path> photos() throws Exception {
        String configured = System.getenv("IJ_GENAI_PHOTOS");
        assumeTrue(configured != null, "IJ_GENAI_PHOTOS (a folder of photos) not set; skipping the IS-Net check");
        try (Stream<Path> files = Files.list(Paths.get(configured))) {
            List<Path> photos = files.filter(p -> p.toString().matches("(?i).*\\.(png|jpe?g)$")).sorted().toList();
            assumeTrue(!photos.isEmpty(), "no photos in " + configured);
            return photos;
        }
    }

    @Test
    void segmentMaskMatchesDirectOnnxRuntimeReference(@TempDir Path out) throws Exception {
        Path model = modelFolder();
        for (Path photo : photos()) {
            Path mask = out.resolve(photo.getFileName() + "-mask.tif");
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"segment", "--model", model.toString(), "--image", photo.toString(),
                "--threshold", "0.5", "--out", mask.toString()}, new PrintStream(log), new PrintStream(log));
            assertEquals(0, code, log.toString());
            ImagePlus ours = IJ.openImage(mask.toString());
            byte[] pixels = (byte[]) ours.getProcessor().getPixels();
            // Decoded by ImageJ, which like PIL ignores embedded ICC profiles (javax.imageio applies them and shifts
            // colours by up to 55 levels on rocket.jpg); decoding is not what this check is about.
            BufferedImage decoded = IJ.openImage(photo.toString()).getProcessor().convertToRGB().getBufferedImage();
            boolean[] reference = reference(model.resolve("model.onnx"), decoded);
            assertEquals(reference.length, pixels.length);
            long both = 0;
            long either = 0;
            for (int i = 0; i < pixels.length; i++) {
                boolean a = pixels[i] != 0;
                both += a && reference[i] ? 1 : 0;
                either += a || reference[i] ? 1 : 0;
            }
            double iou = either == 0 ? 1 : (double) both / either;
            System.out.printf("IS-Net %s %dx%d: IoU %.5f (foreground %.1f%%)%n", photo.getFileName(),
                    ours.getWidth(), ours.getHeight(), iou, 100.0 * either / pixels.length);
            assertTrue(iou >= 0.98, photo + ": IoU " + iou);
        }
    }

    /** Resize to 1024² bilinearly, (px − 128) / 256, run, resize back bilinearly, threshold 0.5. */
    private static boolean[] reference(Path onnx, BufferedImage photo) throws Exception {
        int w = photo.getWidth();
        int h = photo.getHeight();
        int n = 1024;
        float[][] rgb = new float[3][w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = photo.getRGB(x, y);
                rgb[0][y * w + x] = (p >> 16) & 0xff;
                rgb[1][y * w + x] = (p >> 8) & 0xff;
                rgb[2][y * w + x] = p & 0xff;
            }
        }
        float[] input = new float[3 * n * n];
        for (int c = 0; c < 3; c++) {
            float[] resized = bilinear(rgb[c], w, h, n, n);
            for (int i = 0; i < n * n; i++) {
                input[c * n * n + i] = (resized[i] - 128f) / 256f;
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] prob;
        try (OrtSession session = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
                OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] {1, 3, n, n});
                OrtSession.Result result = session.run(Map.of("input", tensor))) {
            OnnxTensor output = (OnnxTensor) result.get("output").orElseThrow();
            FloatBuffer buffer = output.getFloatBuffer();
            prob = new float[buffer.remaining()];
            buffer.get(prob);
        }
        float[] back = bilinear(prob, n, n, w, h);
        boolean[] mask = new boolean[w * h];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = back[i] >= 0.5f;
        }
        return mask;
    }

    /** Plain bilinear interpolation with half-pixel centres and clamped borders (cv2 / PyTorch default). */
    private static float[] bilinear(float[] src, int sw, int sh, int dw, int dh) {
        float[] dst = new float[dw * dh];
        double sx = (double) sw / dw;
        double sy = (double) sh / dh;
        for (int y = 0; y < dh; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, sh - 1);
            int y1 = Math.min(y0 + 1, sh - 1);
            double wy = fy - y0;
            for (int x = 0; x < dw; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, sw - 1);
                int x1 = Math.min(x0 + 1, sw - 1);
                double wx = fx - x0;
                double top = src[y0 * sw + x0] * (1 - wx) + src[y0 * sw + x1] * wx;
                double bottom = src[y1 * sw + x0] * (1 - wx) + src[y1 * sw + x1] * wx;
                dst[y * dw + x] = (float) (top * (1 - wy) + bottom * wy);
            }
        }
        return dst;
    }
}
