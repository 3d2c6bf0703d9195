package org.ijgenai.core.onnx;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * NVIDIA GPUs and their free memory, read through the driver's NVML library ({@code libnvidia-ml}, {@code nvml.dll})
 * with JNA, so no CUDA toolkit is needed; when there is no driver or no GPU, the report says so plainly.
 */
public final class NvidiaGpus {

    private static final int NVML_SUCCESS = 0;

    private NvidiaGpus() {}

    /** One GPU as NVML reports it. */
    public record Gpu(int index, String name, long totalBytes, long freeBytes) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "GPU %d: %s, %.1f of %.1f GiB free", index, name, freeBytes / GIB,
                    totalBytes / GIB);
        }
    }

    private static final double GIB = 1024.0 * 1024 * 1024;

    /**
     * What detection found.
     *
     * @param gpus the GPUs, empty when none was found
     * @param problem why there are none (no driver, NVML failure), or null when NVML answered
     */
    public record Report(List<Gpu> gpus, String problem) {

        /** Copies the list. */
        public Report {
            gpus = List.copyOf(gpus);
        }

        /** The GPU with the most free memory, or null. */
        public Gpu roomiest() {
            Gpu best = null;
            for (Gpu gpu : gpus) {
                if (best == null || gpu.freeBytes() > best.freeBytes()) {
                    best = gpu;
                }
            }
            return best;
        }

        /** A plain-language summary, one line per GPU. */
        public String describe() {
            if (gpus.isEmpty()) {
                return "No NVIDIA GPU: " + (problem != null ? problem : "NVML found no devices");
            }
            StringBuilder text = new StringBuilder();
            for (Gpu gpu : gpus) {
                text.append(text.length() > 0 ? "\n" : "").append(gpu);
            }
            return text.toString();
        }
    }

    /** NVML's C API, the few calls used here. */
    interface Nvml extends Library {
        int nvmlInit_v2();

        int nvmlShutdown();

        int nvmlDeviceGetCount_v2(IntByReference count);

        int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

        int nvmlDeviceGetName(Pointer device, byte[] name, int length);

        int nvmlDeviceGetMemoryInfo(Pointer device, Memory memory);

        String nvmlErrorString(int result);
    }

    /** NVML's {@code nvmlMemory_t}. */
    @Structure.FieldOrder({"total", "free", "used"})
    public static class Memory extends Structure {
        /** Total memory in bytes. */
        public long total;
        /** Free memory in bytes. */
        public long free;
        /** Used memory in bytes. */
        public long used;
    }

    /** Detects the GPUs; never throws. */
    public static Report detect() {
        Nvml nvml = null;
        Throwable lastFailure = null;
        for (String name : new String[] {"nvidia-ml", "libnvidia-ml.so.1", "nvml"}) {
            try {
                nvml = Native.load(name, Nvml.class);
                break;
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                lastFailure = e;
            }
        }
        if (nvml == null) {
            return new Report(List.of(), "the NVIDIA driver's NVML library (libnvidia-ml) is not installed"
                    + (lastFailure != null && Boolean.getBoolean("ijgenai.debug") ? " (" + lastFailure + ")" : ""));
        }
        try {
            int status = nvml.nvmlInit_v2();
            if (status != NVML_SUCCESS) {
                return new Report(List.of(), "NVML could not start: " + nvml.nvmlErrorString(status));
            }
            try {
                IntByReference count = new IntByReference();
                status = nvml.nvmlDeviceGetCount_v2(count);
                if (status != NVML_SUCCESS) {
                    return new Report(List.of(), "NVML could not count GPUs: " + nvml.nvmlErrorString(status));
                }
                List<Gpu> gpus = new ArrayList<>();
                for (int i = 0; i < count.getValue(); i++) {
                    PointerByReference handle = new PointerByReference();
                    if (nvml.nvmlDeviceGetHandleByIndex_v2(i, handle) != NVML_SUCCESS) {
                        continue;
                    }
                    byte[] name = new byte[96];
                    String label = nvml.nvmlDeviceGetName(handle.getValue(), name, name.length) == NVML_SUCCESS
                            ? cString(name) : "NVIDIA GPU";
                    Memory memory = new Memory();
                    if (nvml.nvmlDeviceGetMemoryInfo(handle.getValue(), memory) == NVML_SUCCESS) {
                        gpus.add(new Gpu(i, label, memory.total, memory.free));
                    } else {
                        gpus.add(new Gpu(i, label, -1, -1));
                    }
                }
                return new Report(gpus, gpus.isEmpty() ? "the driver reports no GPU" : null);
            } finally {
                nvml.nvmlShutdown();
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return new Report(List.of(), "NVML failed: " + e.getMessage());
        }
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
