package org.ijgenai.core.noise;

/**
 * The project's one definition of the training noise schedule: β_t, ᾱ_t = ∏(1−β_s) and the forward process
 * q(x_t | x_0), computed with the float32 arithmetic of diffusers (torch.linspace in float32, cumprod accumulated
 * in double and stored as float32).
 */
public final class NoiseSchedule {

    /** The largest β that squaredcos_cap_v2 allows, as in diffusers' {@code betas_for_alpha_bar}. */
    public static final double MAX_BETA = 0.999;

    private final float[] betas;
    private final float[] alphasCumprod;

    private NoiseSchedule(float[] betas) {
        for (int t = 0; t < betas.length; t++) {
            // β = 1 only at the last step, where zero-terminal-SNR rescaling puts it (ᾱ_T = 0).
            boolean terminal = t == betas.length - 1 && betas[t] == 1f;
            if (!(betas[t] > 0f && betas[t] < 1f) && !terminal) {
                throw new IllegalArgumentException("beta at t=" + t + " must lie in (0, 1), was " + betas[t]);
            }
        }
        this.betas = betas;
        this.alphasCumprod = new float[betas.length];
        // torch.cumprod on CPU accumulates float32 inputs in double and rounds each output to float32.
        double product = 1.0;
        for (int t = 0; t < betas.length; t++) {
            float alpha = 1.0f - betas[t];
            product *= alpha;
            alphasCumprod[t] = (float) product;
        }
    }

    /**
     * Builds a schedule from diffusers' parameters.
     *
     * @param schedule the β-schedule
     * @param numTrainTimesteps T, at least 2
     * @param betaStart β at t=0 (ignored by squaredcos_cap_v2)
     * @param betaEnd β at t=T−1 (ignored by squaredcos_cap_v2)
     */
    public static NoiseSchedule of(BetaSchedule schedule, int numTrainTimesteps, double betaStart, double betaEnd) {
        if (numTrainTimesteps < 2) {
            throw new IllegalArgumentException("num_train_timesteps must be at least 2, was " + numTrainTimesteps);
        }
        if (schedule != BetaSchedule.SQUAREDCOS_CAP_V2) {
            if (!(betaStart > 0 && betaStart < 1)) {
                throw new IllegalArgumentException("beta_start must lie in (0, 1), was " + betaStart);
            }
            if (!(betaEnd > 0 && betaEnd < 1)) {
                throw new IllegalArgumentException("beta_end must lie in (0, 1), was " + betaEnd);
            }
        }
        int n = numTrainTimesteps;
        float[] betas = new float[n];
        switch (schedule) {
            case LINEAR:
                betas = linspaceFloat32(betaStart, betaEnd, n);
                break;
            case SCALED_LINEAR: {
                float[] roots = linspaceFloat32(Math.sqrt(betaStart), Math.sqrt(betaEnd), n);
                for (int i = 0; i < n; i++) {
                    betas[i] = roots[i] * roots[i];
                }
                break;
            }
            case SQUAREDCOS_CAP_V2:
                for (int i = 0; i < n; i++) {
                    double t1 = (double) i / n;
                    double t2 = (double) (i + 1) / n;
                    betas[i] = (float) Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), MAX_BETA);
                }
                break;
            case SIGMOID: {
                float[] x = linspaceFloat32(-6, 6, n);
                float range = (float) (betaEnd - betaStart);
                float start = (float) betaStart;
                for (int i = 0; i < n; i++) {
                    float sigmoid = (float) (1.0 / (1.0 + Math.exp(-x[i])));
                    betas[i] = sigmoid * range + start;
                }
                break;
            }
            default:
                throw new IllegalStateException("unhandled schedule " + schedule);
        }
        return new NoiseSchedule(betas);
    }

    /** Builds a schedule from explicit β values, as diffusers' {@code trained_betas}. */
    public static NoiseSchedule ofTrainedBetas(double[] trainedBetas) {
        if (trainedBetas == null || trainedBetas.length < 2) {
            throw new IllegalArgumentException("trained_betas must hold at least 2 values");
        }
        float[] betas = new float[trainedBetas.length];
        for (int i = 0; i < betas.length; i++) {
            betas[i] = (float) trainedBetas[i];
        }
        return new NoiseSchedule(betas);
    }

    /**
     * This schedule rescaled to zero terminal SNR (Lin et al., 2023, algorithm 1), as diffusers' {@code
     * rescale_zero_terminal_snr} computes it in float32: √ᾱ is shifted so that its last value is 0 and scaled so that
     * its first value is unchanged; β is then recovered from the ratios of consecutive ᾱ, so β_T = 1 and ᾱ_T = 0.
     */
    public NoiseSchedule withZeroTerminalSnr() {
        int n = betas.length;
        float[] sqrtAlphaBar = new float[n];
        for (int t = 0; t < n; t++) {
            sqrtAlphaBar[t] = (float) Math.sqrt(alphasCumprod[t]);
        }
        float first = sqrtAlphaBar[0];
        float last = sqrtAlphaBar[n - 1];
        float scale = first / (first - last);
        float[] alphaBar = new float[n];
        for (int t = 0; t < n; t++) {
            float shifted = (sqrtAlphaBar[t] - last) * scale;
            alphaBar[t] = shifted * shifted;
        }
        float[] rescaled = new float[n];
        rescaled[0] = 1f - alphaBar[0];
        for (int t = 1; t < n; t++) {
            rescaled[t] = 1f - alphaBar[t] / alphaBar[t - 1];
        }
        return new NoiseSchedule(rescaled);
    }

    /** ᾱ(t) of the cosine schedule, for t in [0, 1]. */
    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /**
     * {@code torch.linspace(start, end, steps, dtype=float32)} on CPU: the endpoints and step are float32, and the
     * second half counts back from the end so that the last value is exactly {@code end}.
     */
    public static float[] linspaceFloat32(double start, double end, int steps) {
        float s = (float) start;
        float e = (float) end;
        float[] out = new float[steps];
        if (steps == 1) {
            out[0] = s;
            return out;
        }
        float step = (e - s) / (steps - 1);
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++) {
            out[i] = i < halfway ? s + step * i : e - step * (steps - i - 1);
        }
        return out;
    }

    /** T, the number of training timesteps. */
    public int numTrainTimesteps() {
        return betas.length;
    }

    /** β_t as float32, as diffusers stores it. */
    public float beta(int t) {
        return betas[t];
    }

    /** ᾱ_t as float32, as diffusers stores it. */
    public float alphaCumprod(int t) {
        return alphasCumprod[t];
    }

    /** A copy of all β_t. */
    public float[] betas() {
        return betas.clone();
    }

    /** A copy of all ᾱ_t. */
    public float[] alphasCumprod() {
        return alphasCumprod.clone();
    }

    /** The signal-to-noise ratio ᾱ_t / (1 − ᾱ_t). */
    public double snr(int t) {
        double a = alphasCumprod[t];
        return a / (1 - a);
    }

    /** The natural logarithm of {@link #snr(int)}. */
    public double logSnr(int t) {
        return Math.log(snr(t));
    }

    /**
     * The forward process q(x_t | x_0): writes √ᾱ_t·x0 + √(1−ᾱ_t)·ε into {@code out} (which may alias x0).
     */
    public void addNoise(float[] x0, float[] noise, int t, float[] out) {
        if (x0.length != noise.length || out.length != x0.length) {
            throw new IllegalArgumentException("x0, noise and out must have equal lengths, were "
                    + x0.length + ", " + noise.length + ", " + out.length);
        }
        // diffusers computes ᾱ^0.5 and (1 − ᾱ)^0.5 on float32 tensors; 1 − ᾱ must round to float32 first.
        float a = alphasCumprod[t];
        float signal = (float) Math.sqrt(a);
        float sigma = (float) Math.sqrt(1f - a);
        for (int i = 0; i < x0.length; i++) {
            out[i] = signal * x0[i] + sigma * noise[i];
        }
    }
}
