package org.ijgenai.core.onnx;

import java.util.Locale;
import java.util.Set;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;

/**
 * Chooses where ONNX Runtime runs: the NVIDIA GPU with the most free memory when this build has the CUDA execution
 * provider ({@code mvn -Pgpu}) and NVML sees a GPU, else the CPU, with the reason in words.
 *
 * @param cudaDevice the CUDA device index, or −1 for the CPU
 * @param freeBytes the chosen GPU's free memory, or −1 on the CPU
 * @param reason why this device was chosen
 */
public record ExecutionDevice(int cudaDevice, long freeBytes, String reason) {

    /** The CPU, for a given reason. */
    public static ExecutionDevice cpu(String reason) {
        return new ExecutionDevice(-1, -1, reason);
    }

    /** Whether ONNX Runtime in this build offers the CUDA execution provider. */
    public static boolean cudaProviderAvailable() {
        try {
            org.ijgenai.core.Offline.ensure();
            Set<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
            return providers.contains(OrtProvider.CUDA);
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Picks the device for {@code requested}: "cpu", "gpu" (the roomiest GPU), "gpu:N", or "auto" (a GPU when one
     * can be used, else the CPU).
     *
     * @throws IllegalArgumentException when a GPU is demanded but cannot be used, saying why
     */
    public static ExecutionDevice choose(String requested) {
        String wanted = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("cpu")) {
            return cpu("the CPU was requested");
        }
        boolean demanded = wanted.startsWith("gpu");
        if (!wanted.equals("auto") && !demanded) {
            throw new IllegalArgumentException("device must be auto, cpu, gpu or gpu:N, was '" + requested + "'");
        }
        if (!cudaProviderAvailable()) {
            String why = "this build of ONNX Runtime has no CUDA provider (build with mvn -Pgpu for onnxruntime_gpu)";
            if (demanded) {
                throw new IllegalArgumentException("cannot use a GPU: " + why);
            }
            return cpu(why);
        }
        NvidiaGpus.Report report = NvidiaGpus.detect();
        NvidiaGpus.Gpu gpu = report.roomiest();
        if (wanted.startsWith("gpu:")) {
            int index;
            try {
                index = Integer.parseInt(wanted.substring(4));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device gpu:N needs a number, was '" + requested + "'");
            }
            gpu = report.gpus().stream().filter(g -> g.index() == index).findFirst().orElse(null);
            if (gpu == null) {
                throw new IllegalArgumentException("no GPU " + index + "; " + report.describe());
            }
        }
        if (gpu == null) {
            if (demanded) {
                throw new IllegalArgumentException("cannot use a GPU: " + report.describe());
            }
            return cpu(report.describe());
        }
        return new ExecutionDevice(gpu.index(), gpu.freeBytes(), gpu.toString());
    }

    /** Whether this is a GPU. */
    public boolean isGpu() {
        return cudaDevice >= 0;
    }

    /** Session settings for this device with ONNX Runtime's default threading. */
    public SessionSettings settings(int intraOpThreads) {
        return new SessionSettings(intraOpThreads, true, cudaDevice);
    }

    /**
     * A rough check that a generation fits the chosen GPU: the weights plus Stable Diffusion's activations, about
     * 1.5 GiB per 512×512 image in float32, per UNet batch entry.
     *
     * @return a warning for the user, or null when it should fit (or the device is the CPU)
     */
    public String memoryWarning(long weightBytes, int width, int height, int unetBatch) {
        if (!isGpu() || freeBytes < 0) {
            return null;
        }
        double activations = 1.5 * (1L << 30) * unetBatch * (width * (double) height) / (512.0 * 512.0);
        double needed = weightBytes + activations;
        if (needed <= freeBytes) {
            return null;
        }
        return String.format(Locale.ROOT, "%d×%d with a UNet batch of %d needs about %.1f GiB but GPU %d has %.1f GiB"
                + " free; try a smaller size or fewer images", width, height, unetBatch, needed / (1L << 30),
                cudaDevice, freeBytes / (double) (1L << 30));
    }
}
