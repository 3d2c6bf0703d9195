package org.ijgenai.core.tiling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Map;

import org.ijgenai.core.onnx.OnnxModel;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.tensor.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An 8000×8000 RGB image through the committed blob detector in 512-pixel tiles: prints the time and the peak
 * heap, which should be the 256 MB result plus a few tiles, not the 768 MB a float copy of the input would take.
 * Run with {@code mvn -Pbenchmarks -o test -Dtest=TiledRunnerBenchmark}.
 */
@Tag("benchmark")
class TiledRunnerBenchmark {

    @Test
    void eightThousandSquareInBoundedMemory() throws Exception {
        int size = 8000;
        // Pixels are computed on demand, so the input itself takes no memory.
        TileSource source = new TileSource() {
            @Override
            public int width() {
                return size;
            }

            @Override
            public int height() {
                return size;
            }

            @Override
            public int channels() {
                return 3;
            }

            @Override
            public void read(int channel, int y, int x, int length, float[] dest, int offset) {
                for (int i = 0; i < length; i++) {
                    int px = x + i;
                    boolean blob = ((px / 40) + (y / 40)) % 3 == 0;
                    dest[offset + i] = channel == 0 ? (blob ? 250 : 20) : 60;
                }
            }
        };
        Path onnx = Path.of(getClass().getResource("/org/ijgenai/core/segment/blobs_sigmoid.onnx").toURI());
        try (OnnxModel model = OnnxModel.load(onnx, SessionSettings.DEFAULT)) {
            TileFunction function = tile -> {
                float[] data = tile.floats();
                for (int i = 0; i < data.length; i++) {
                    data[i] /= 255f;
                }
                long[] s = tile.shape();
                Tensor out = model.run(Map.of("input", tile.reshape(1, s[0], s[1], s[2])), "benchmark")
                        .get("output");
                return out.reshape(1, s[1], s[2]);
            };
            System.gc();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
            long baseline = heapUsed();
            TiledRunner runner = new TiledRunner(TileSpec.square(512, 32));
            long start = System.nanoTime();
            PlanarImage result = runner.run(source, function, (done, total, message) -> { },
                    CancellationToken.NONE);
            double seconds = (System.nanoTime() - start) / 1e9;
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            long outputMb = (long) size * size * 4 / (1 << 20);
            System.out.printf("tiled %dx%d RGB, %d tiles of 512: %.1f s, %.2f Mpx/s; heap peak %d MB above a %d MB "
                    + "baseline (result %d MB; a float copy of the input would be %d MB)%n", size, size,
                    runner.tileCount(size, size), seconds, size * (double) size / seconds / 1e6,
                    (peak - baseline) >> 20, baseline >> 20, outputMb, 3 * outputMb);
            assertEquals(size, result.width());
            assertTrue(result.get(0, 20, 20) > 0.9f && result.get(0, 60, 20) < 0.1f);
        }
    }

    private static long heapUsed() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
