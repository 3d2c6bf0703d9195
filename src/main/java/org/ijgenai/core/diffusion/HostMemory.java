package org.ijgenai.core.diffusion;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

import org.ijgenai.core.GenAiException;

/**
 * The computer's RAM as the CPU pipelines weigh it against a network's files: a UNet larger than the whole RAM is
 * refused with the numbers before ONNX Runtime tries (and the machine swaps or the process is killed), and the
 * text encoders are released after encoding when what is free would not hold the UNet.
 *
 * @param totalBytes the physical memory, or −1 when the JVM cannot tell
 * @param freeBytes the physical memory free now, or −1 when the JVM cannot tell
 */
public record HostMemory(long totalBytes, long freeBytes) {

    /**
     * The memory of this computer now. On Linux "free" is the kernel's MemAvailable, which counts the page cache it
     * would drop for a new allocation; the JVM's own figure (MemFree) leaves that out and reads far too low.
     */
    public static HostMemory now() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long available = procStatus(Path.of("/proc/meminfo"), "MemAvailable:");
            return new HostMemory(os.getTotalMemorySize(), available >= 0 ? available : os.getFreeMemorySize());
        }
        return new HostMemory(-1, -1);
    }

    /**
     * The native memory this process holds beyond its Java heap and the networks' weights: mostly ONNX Runtime's
     * arena, which keeps what an earlier run allocated and hands it to the next one, so a second run at the same
     * size needs nothing new from the computer. 0 when it cannot be told (not Linux).
     */
    public static long reusableNativeBytes(long weightBytes) {
        long rss = procStatus(Path.of("/proc/self/status"), "VmRSS:");
        if (rss < 0) {
            return 0;
        }
        long baseline = 256L << 20; // the JVM's code, threads and ONNX Runtime's libraries
        return Math.max(0, rss - Runtime.getRuntime().totalMemory() - weightBytes - baseline);
    }

    /** The value of a "Key:   123 kB" line of a /proc file, in bytes; −1 when absent. */
    static long procStatus(Path file, String key) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith(key)).findFirst()
                    .map(l -> Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0]) * 1024L)
                    .orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The bytes of the files in a network's folder: the ONNX graph and its external weights. */
    public static long folderBytes(Path onnxFile) {
        try (Stream<Path> files = Files.list(onnxFile.getParent())) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0L;
                }
            }).sum();
        } catch (IOException e) {
            return 0L;
        }
    }

    /**
     * Refuses a network whose weights alone exceed the RAM.
     *
     * @throws GenAiException with both sizes and what to do instead
     */
    public void checkFits(Path onnxFile, long weightBytes) {
        if (totalBytes > 0 && weightBytes > totalBytes) {
            throw new GenAiException(String.format(Locale.ROOT, "%s needs about %.1f GiB for its weights alone, but"
                    + " this computer has %.1f GiB of RAM: use a smaller (fp16) export, a GPU (-Pgpu build), or a"
                    + " computer with more memory", onnxFile, gib(weightBytes), gib(totalBytes)));
        }
    }

    /** Whether what is free now would not hold {@code bytes} more (unknown counts as enough). */
    public boolean isShortFor(long bytes) {
        return freeBytes >= 0 && freeBytes < bytes;
    }

    /**
     * Whether the memory free now is short for a UNet of {@code weightBytes} with ONNX Runtime's repacked weights:
     * measured on the real-size SDXL UNet (10.3 GB of files), the process held 1.8 times its weights at 512² with
     * them (19.4 GB peak, 22.7 GB at 1024²) and 1.45 times without (16.2 GB peak), so below 2.2 times the weights
     * free the UNet loads without them.
     */
    public boolean isShortForPrepackedUnet(long weightBytes) {
        return freeBytes >= 0 && freeBytes < weightBytes * 22 / 10;
    }

    private static double gib(long bytes) {
        return bytes / (double) (1L << 30);
    }
}
