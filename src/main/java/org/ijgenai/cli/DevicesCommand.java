package org.ijgenai.cli;

import java.io.PrintStream;

import org.ijgenai.core.onnx.ExecutionDevice;
import org.ijgenai.core.onnx.NvidiaGpus;

/** {@code devices}: the NVIDIA GPUs NVML sees, whether ONNX Runtime can use CUDA, and the device "auto" picks. */
final class DevicesCommand implements Subcommand {

    /** Null for the System.out current at run time, so callers can redirect it. */
    private final PrintStream out;

    DevicesCommand() {
        this(null);
    }

    DevicesCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public String name() {
        return "devices";
    }

    @Override
    public String usage() {
        return "devices   (NVIDIA GPUs and free memory via NVML; the GPU that txt2img and img2img pick by default)";
    }

    @Override
    public String help() {
        return "  (no options)         prints each NVIDIA GPU with its free memory, whether this build's ONNX"
                + " Runtime has CUDA, and what --device auto picks\n";
    }

    @Override
    public int run(CliArgs args) {
        PrintStream out = this.out != null ? this.out : System.out;
        args.rejectUnknown();
        out.println(NvidiaGpus.detect().describe());
        out.println("ONNX Runtime CUDA provider: " + (ExecutionDevice.cudaProviderAvailable() ? "available"
                : "not in this build (mvn -Pgpu builds with onnxruntime_gpu)"));
        ExecutionDevice device = ExecutionDevice.choose("auto");
        out.println("auto → " + (device.isGpu() ? "GPU " + device.cudaDevice() : "CPU") + ": " + device.reason());
        return 0;
    }
}
