package org.ijgenai.imagej;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.style.StyleFormat;
import org.ijgenai.core.style.StyleOptions;
import org.ijgenai.core.style.StyleTransfer;
import org.ijgenai.core.tiling.PlanarImage;
import org.ijgenai.core.tiling.TiledRunner;

import ij.process.ColorProcessor;

/**
 * Restyles a synthetic RGB photo the way the command does (ColorProcessor in, ColorProcessor out) and prints the
 * time, the tiles, and the peak Java heap and resident memory. Run by {@link StyleBenchmark} in a JVM of its own
 * so that {@code -Xmx} and the peaks belong to this work alone.
 *
 * <p>Arguments: model.onnx width height [tile]
 */
public final class StyleBenchmarkMain {

    private StyleBenchmarkMain() {}

    public static void main(String[] args) throws Exception {
        Path model = Paths.get(args[0]);
        int width = Integer.parseInt(args[1]);
        int height = Integer.parseInt(args[2]);
        int tile = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        StyleOptions options = new StyleOptions(0.8, tile, -1);
        try (StyleTransfer transfer = StyleTransfer.open(StyleFormat.CYCLEGAN.descriptorFor(model),
                SessionSettings.DEFAULT)) {
            // Warm-up on a small image: session start-up must not count as per-pixel cost.
            double small = run(transfer, 1000, 750, options);
            double big = run(transfer, width, height, options);
            int tiles = new TiledRunner(transfer.tiling(width, height, options)).tileCount(width, height);
            double mpx = width * (double) height / 1e6;
            System.out.printf(Locale.ROOT, "style benchmark: %d×%d RGB (%.1f MPx), %d tiles of %d px, -Xmx%d MB%n",
                    width, height, mpx, tiles, transfer.tiling(width, height, options).tileWidth(),
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf(Locale.ROOT, "  time %.1f s (%.2f s/MPx); 1000×750 reference %.2f s (%.2f s/MPx);"
                    + " per-pixel ratio big/small %.2f%n", big, big / mpx, small, small / 0.75,
                    (big / mpx) / (small / 0.75));
            System.out.printf(Locale.ROOT, "  peak Java heap %d MB; peak resident memory (heap + ONNX Runtime) %s%n",
                    peakHeapMb(), peakResident());
        }
    }

    private static double run(StyleTransfer transfer, int width, int height, StyleOptions options) {
        ColorProcessor photo = new ColorProcessor(width, height);
        int[] pixels = (int[]) photo.getPixels();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (int) (128 + 100 * Math.sin(x / 37.0) * Math.cos(y / 23.0));
                int g = (x * 255 / width + (y & 7) * 3) & 0xff;
                int b = (y * 255 / height) & 0xff;
                pixels[y * width + x] = 0xff000000 | r << 16 | g << 8 | b;
            }
        }
        long start = System.nanoTime();
        PlanarImage styled = transfer.apply(StyleImages.source(photo, new java.awt.Rectangle(width, height), 0, 255),
                options, (done, total, message) -> { }, CancellationToken.NONE);
        ColorProcessor out = StyleImages.toColor(styled);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (out.getWidth() != width || out.getHeight() != height) {
            throw new IllegalStateException("output size " + out.getWidth() + "×" + out.getHeight());
        }
        return seconds;
    }

    private static long peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum >> 20;
    }

    private static String peakResident() throws java.io.IOException {
        Path status = Paths.get("/proc/self/status");
        if (!Files.exists(status)) {
            return "n/a";
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return (kb >> 10) + " MB";
            }
        }
        return "n/a";
    }
}
