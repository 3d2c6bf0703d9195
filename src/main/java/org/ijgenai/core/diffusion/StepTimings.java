package org.ijgenai.core.diffusion;

import java.util.Arrays;

/**
 * Where the denoising loop spent its time, per UNet evaluation: the wall time of each step, and the part of it
 * spent inside ONNX Runtime running the UNet; the rest is the pipeline's own work (scheduler, guidance, conversions
 * at the network boundary, copies, listeners).
 *
 * @param stepSeconds the wall time of each step
 * @param networkSeconds the time inside ONNX Runtime's run call for the UNet in each step
 */
public record StepTimings(double[] stepSeconds, double[] networkSeconds) {

    /** Copies the arrays so the record stays immutable. */
    public StepTimings {
        if (stepSeconds.length != networkSeconds.length) {
            throw new IllegalArgumentException("one network time per step expected");
        }
        stepSeconds = stepSeconds.clone();
        networkSeconds = networkSeconds.clone();
    }

    /** The number of UNet evaluations. */
    public int evaluations() {
        return stepSeconds.length;
    }

    /** The wall time of the whole loop. */
    public double loopSeconds() {
        return Arrays.stream(stepSeconds).sum();
    }

    /** The time inside the UNet over the whole loop. */
    public double totalNetworkSeconds() {
        return Arrays.stream(networkSeconds).sum();
    }

    /** The fraction of the loop spent outside the network, 0 when nothing ran. */
    public double overheadFraction() {
        double loop = loopSeconds();
        return loop > 0 ? Math.max(0, loop - totalNetworkSeconds()) / loop : 0;
    }

    /**
     * The median over steps of each step's share outside the network: robust to a step that the operating system
     * or the garbage collector interrupted, which on a shared machine says nothing about the pipeline.
     */
    public double medianOverheadFraction() {
        int n = stepSeconds.length;
        if (n == 0) {
            return 0;
        }
        double[] shares = new double[n];
        for (int i = 0; i < n; i++) {
            shares[i] = stepSeconds[i] > 0 ? Math.max(0, stepSeconds[i] - networkSeconds[i]) / stepSeconds[i] : 0;
        }
        Arrays.sort(shares);
        return n % 2 == 1 ? shares[n / 2] : (shares[n / 2 - 1] + shares[n / 2]) / 2;
    }
}
