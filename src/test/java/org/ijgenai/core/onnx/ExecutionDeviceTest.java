package org.ijgenai.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExecutionDeviceTest {

    @Test
    void detectionNeverThrowsAndExplainsAnEmptyResult() {
        NvidiaGpus.Report report = NvidiaGpus.detect();
        assertNotNull(report.describe());
        if (report.gpus().isEmpty()) {
            assertTrue(report.describe().startsWith("No NVIDIA GPU: "), report.describe());
        }
    }

    @Test
    void autoFallsBackToTheCpuWithAReason() {
        ExecutionDevice device = ExecutionDevice.choose("auto");
        assertNotNull(device.reason());
        if (!ExecutionDevice.cudaProviderAvailable()) {
            assertEquals(-1, device.cudaDevice());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ExecutionDevice.choose("gpu"));
            assertTrue(e.getMessage().contains("CUDA"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ExecutionDevice.choose("tpu"));
    }

    @Test
    void warnsWhenASizeWillNotFitTheGpu() {
        ExecutionDevice gpu = new ExecutionDevice(0, 4L << 30, "test GPU");
        assertNull(gpu.memoryWarning(2L << 30, 512, 512, 1));
        String warning = gpu.memoryWarning(2L << 30, 1024, 1024, 2);
        assertNotNull(warning);
        assertTrue(warning.contains("smaller size"), warning);
        assertNull(ExecutionDevice.cpu("test").memoryWarning(1L << 40, 4096, 4096, 8));
    }
}
