package org.ijgenai.core.scheduler;

import java.util.ArrayList;
import java.util.List;
import org.ijgenai.core.random.NoiseSource;
import org.ijgenai.core.noise.NoiseSchedule;

/**
 * Pseudo numerical methods for diffusion models (Liu et al., 2022) as diffusers' {@code PNDMScheduler}: a
 * Runge–Kutta (PRK) warm-up of 3 × 4 evaluations, then linear multistep (PLMS) updates of the transfer formula
 * (9). With {@code skip_prk_steps} (Stable Diffusion) the warm-up is replaced by crowsonkb's PLMS start: one extra
 * evaluation, so n steps make n + 1 model calls. Deterministic.
 *
 * <p>Defaults: 1000 steps, linear β 0.0001–0.02, skip_prk_steps false, set_alpha_to_one false, epsilon,
 * "leading" spacing, steps_offset 0. Only epsilon and v_prediction are supported, as in diffusers.
 */
public final class PndmScheduler implements Scheduler {

    private static final int PNDM_ORDER = 4;

    private final NoiseSchedule schedule;
    private final DdpmAlphas alphas;
    private final int numTrainTimesteps;
    private final PredictionType predictionType;
    private final TimestepSpacing spacing;
    private final int stepsOffset;
    private final boolean skipPrkSteps;

    private int numInferenceSteps;
    private double[] prkTimesteps;
    private double[] plmsTimesteps;
    private double[] timesteps;

    // Running values of one run, as in diffusers.
    private final List<float[]> ets = new ArrayList<>();
    private float[] curModelOutput;
    private float[] curSample;
    private int counter;

    /**
     * A PNDM scheduler for the given config.
     *
     * @throws IllegalArgumentException for invalid config values
     */
    public PndmScheduler(SchedulerConfig config) {
        this.schedule = config.noiseSchedule(1000, 0.0001, 0.02, "linear", false);
        this.numTrainTimesteps = schedule.numTrainTimesteps();
        this.alphas = new DdpmAlphas(schedule, config, false);
        this.predictionType = PredictionType.fromConfigName(
                config.getString(SchedulerConfig.PREDICTION_TYPE, "epsilon"));
        if (predictionType == PredictionType.SAMPLE) {
            throw new IllegalArgumentException("PNDM supports prediction_type epsilon or v_prediction, not sample");
        }
        this.spacing = TimestepSpacing.fromConfigName(config.getString(SchedulerConfig.TIMESTEP_SPACING, "leading"));
        this.stepsOffset = config.getInt(SchedulerConfig.STEPS_OFFSET, 0);
        this.skipPrkSteps = config.getBoolean(SchedulerConfig.SKIP_PRK_STEPS, false);
    }

    @Override
    public String name() {
        return "pndm";
    }

    /** The training noise schedule (β, ᾱ). */
    public NoiseSchedule noiseSchedule() {
        return schedule;
    }

    @Override
    public void setTimesteps(int steps) {
        NumpyCompat.checkAtLeastOneStep(steps);
        // The ascending base grid, diffusers' _timesteps.
        double[] base = reversed(NumpyCompat.ddpmTimesteps(spacing, numTrainTimesteps, steps, stepsOffset));
        int n = base.length;
        if (skipPrkSteps) {
            // PLMS start: [t_0 … t_{n−2}, t_{n−2}, t_{n−1}] reversed, i.e. the second-highest timestep twice.
            prkTimesteps = new double[0];
            double[] ascending;
            if (n >= 2) {
                ascending = new double[n + 1];
                System.arraycopy(base, 0, ascending, 0, n - 1);
                ascending[n - 1] = base[n - 2];
                ascending[n] = base[n - 1];
            } else {
                // numpy's base[:-1] and base[-2:-1] are empty for a single step.
                ascending = new double[] {base[0]};
            }
            plmsTimesteps = reversed(ascending);
        } else {
            if (n < PNDM_ORDER) {
                throw new IllegalArgumentException("PNDM with its Runge-Kutta warm-up needs at least " + PNDM_ORDER
                        + " steps, was " + steps + " (or set skip_prk_steps)");
            }
            // The last pndm_order base timesteps, each repeated, plus the half-step offsets [0, T//n//2].
            int half = numTrainTimesteps / steps / 2;
            double[] prk = new double[2 * PNDM_ORDER];
            for (int k = 0; k < PNDM_ORDER; k++) {
                double t = base[n - PNDM_ORDER + k];
                prk[2 * k] = t;
                prk[2 * k + 1] = t + half;
            }
            // prk[:-1].repeat(2)[1:-1], reversed.
            double[] repeated = new double[2 * (prk.length - 1)];
            for (int i = 0; i < prk.length - 1; i++) {
                repeated[2 * i] = prk[i];
                repeated[2 * i + 1] = prk[i];
            }
            double[] trimmed = new double[repeated.length - 2];
            System.arraycopy(repeated, 1, trimmed, 0, trimmed.length);
            prkTimesteps = reversed(trimmed);
            double[] plms = new double[n - 3];
            System.arraycopy(base, 0, plms, 0, n - 3);
            plmsTimesteps = reversed(plms);
        }
        timesteps = new double[prkTimesteps.length + plmsTimesteps.length];
        System.arraycopy(prkTimesteps, 0, timesteps, 0, prkTimesteps.length);
        System.arraycopy(plmsTimesteps, 0, timesteps, prkTimesteps.length, plmsTimesteps.length);
        numInferenceSteps = steps;
        ets.clear();
        counter = 0;
        curModelOutput = null;
        curSample = null;
    }

    private static double[] reversed(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[values.length - 1 - i];
        }
        return out;
    }

    @Override
    public double[] timesteps() {
        requireTimesteps();
        return timesteps.clone();
    }

    /** The Runge–Kutta warm-up timesteps (empty with skip_prk_steps). */
    public double[] prkTimesteps() {
        requireTimesteps();
        return prkTimesteps.clone();
    }

    /** The linear multistep timesteps. */
    public double[] plmsTimesteps() {
        requireTimesteps();
        return plmsTimesteps.clone();
    }

    @Override
    public StepOutput step(float[] modelOutput, double timestep, float[] sample, NoiseSource noise) {
        requireTimesteps();
        if (counter < prkTimesteps.length && !skipPrkSteps) {
            return stepPrk(modelOutput, timestep, sample);
        }
        return stepPlms(modelOutput, timestep, sample);
    }

    /** One Runge–Kutta step: accumulates the four slope evaluations of each warm-up step with weights 1/6, 1/3. */
    public StepOutput stepPrk(float[] modelOutput, double timestep, float[] sample) {
        requireTimesteps();
        NumpyCompat.checkSameLength(modelOutput, "modelOutput", sample, "sample");
        if (counter >= prkTimesteps.length) {
            throw new IllegalStateException("PNDM: all " + prkTimesteps.length + " Runge-Kutta steps are done"
                    + (skipPrkSteps ? " (skip_prk_steps is set)" : "") + "; continue with stepPlms");
        }
        NumpyCompat.trainIndex(timestep, numTrainTimesteps);
        int diffToPrev = counter % 2 != 0 ? 0 : numTrainTimesteps / numInferenceSteps / 2;
        int prevTimestep = (int) timestep - diffToPrev;
        int t = (int) prkTimesteps[counter / 4 * 4];

        float[] output = modelOutput;
        if (counter % 4 == 0) {
            curModelOutput = accumulate(curModelOutput, (float) (1.0 / 6), modelOutput);
            ets.add(modelOutput.clone());
            curSample = sample;
        } else if ((counter - 1) % 4 == 0 || (counter - 2) % 4 == 0) {
            curModelOutput = accumulate(curModelOutput, (float) (1.0 / 3), modelOutput);
        } else {
            output = accumulate(curModelOutput, (float) (1.0 / 6), modelOutput);
            curModelOutput = null;
        }
        float[] base = curSample != null ? curSample : sample;
        float[] prev = prevSample(base, t, prevTimestep, output);
        counter++;
        return new StepOutput(prev, null);
    }

    /** running + weight·x (a fresh array); a null running sum stands for diffusers' integer 0. */
    private static float[] accumulate(float[] running, float weight, float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            float term = weight * x[i];
            out[i] = running == null ? term : running[i] + term;
        }
        return out;
    }

    /** One linear multistep step over the last (up to four) model outputs. */
    public StepOutput stepPlms(float[] modelOutput, double timestep, float[] sample) {
        requireTimesteps();
        NumpyCompat.checkSameLength(modelOutput, "modelOutput", sample, "sample");
        if (!skipPrkSteps && ets.size() < 3) {
            throw new IllegalStateException("PNDM: PLMS steps can only run after the 12 Runge-Kutta warm-up steps"
                    + " (or set skip_prk_steps)");
        }
        int t = NumpyCompat.trainIndex(timestep, numTrainTimesteps);
        int prevTimestep = t - numTrainTimesteps / numInferenceSteps;
        if (counter != 1) {
            while (ets.size() > 3) {
                ets.remove(0);
            }
            ets.add(modelOutput.clone());
        } else {
            prevTimestep = t;
            t = t + numTrainTimesteps / numInferenceSteps;
        }

        int n = modelOutput.length;
        float[] output = new float[n];
        float[] base = sample;
        int size = ets.size();
        if (size == 1 && counter == 0) {
            System.arraycopy(modelOutput, 0, output, 0, n);
            curSample = sample;
        } else if (size == 1 && counter == 1) {
            float[] e1 = ets.get(0);
            for (int i = 0; i < n; i++) {
                output[i] = (modelOutput[i] + e1[i]) / 2;
            }
            base = curSample;
            curSample = null;
        } else if (size == 2) {
            float[] e1 = ets.get(1);
            float[] e2 = ets.get(0);
            for (int i = 0; i < n; i++) {
                output[i] = (3 * e1[i] - e2[i]) / 2;
            }
        } else if (size == 3) {
            float[] e1 = ets.get(2);
            float[] e2 = ets.get(1);
            float[] e3 = ets.get(0);
            for (int i = 0; i < n; i++) {
                output[i] = (23 * e1[i] - 16 * e2[i] + 5 * e3[i]) / 12;
            }
        } else {
            float[] e1 = ets.get(size - 1);
            float[] e2 = ets.get(size - 2);
            float[] e3 = ets.get(size - 3);
            float[] e4 = ets.get(size - 4);
            float oneOver24 = (float) (1.0 / 24);
            for (int i = 0; i < n; i++) {
                output[i] = oneOver24 * (55 * e1[i] - 59 * e2[i] + 37 * e3[i] - 9 * e4[i]);
            }
        }
        float[] prev = prevSample(base, t, prevTimestep, output);
        counter++;
        return new StepOutput(prev, null);
    }

    /**
     * Formula (9) of the PNDM paper: x_{t−δ} = √(ᾱ_{t−δ}/ᾱ_t)·x_t − (ᾱ_{t−δ} − ᾱ_t)·ε / (ᾱ_t·√(1−ᾱ_{t−δ}) +
     * √(ᾱ_t·(1−ᾱ_t)·ᾱ_{t−δ})).
     */
    private float[] prevSample(float[] sample, int timestep, int prevTimestep, float[] modelOutput) {
        if (timestep < 0 || timestep >= numTrainTimesteps) {
            throw new IllegalArgumentException("timestep must lie in [0, " + numTrainTimesteps + "), was "
                    + timestep);
        }
        float alphaProdT = alphas.at(timestep);
        float alphaProdTPrev = alphas.atPrevious(prevTimestep);
        float betaProdT = 1f - alphaProdT;
        float betaProdTPrev = 1f - alphaProdTPrev;
        int n = sample.length;
        float[] epsilon = modelOutput;
        if (predictionType == PredictionType.V_PREDICTION) {
            float sqrtAlpha = (float) Math.sqrt(alphaProdT);
            float sqrtBeta = (float) Math.sqrt(betaProdT);
            epsilon = new float[n];
            for (int i = 0; i < n; i++) {
                epsilon[i] = predictionType.noise(modelOutput[i], sample[i], sqrtAlpha, sqrtBeta);
            }
        }
        float sampleCoefficient = (float) Math.sqrt(alphaProdTPrev / alphaProdT);
        float denominator = alphaProdT * (float) Math.sqrt(betaProdTPrev)
                + (float) Math.sqrt(alphaProdT * betaProdT * alphaProdTPrev);
        float difference = alphaProdTPrev - alphaProdT;
        float[] prev = new float[n];
        for (int i = 0; i < n; i++) {
            prev[i] = sampleCoefficient * sample[i] - difference * epsilon[i] / denominator;
        }
        return prev;
    }

    @Override
    public float[] addNoise(float[] originalSample, float[] noise, double timestep) {
        return alphas.addNoise(originalSample, noise, timestep);
    }

    private void requireTimesteps() {
        if (timesteps == null) {
            throw new IllegalStateException("PNDM: call setTimesteps(numInferenceSteps) before timesteps() or step()");
        }
    }
}
