package org.ijgenai.core.scheduler;

import org.ijgenai.core.random.NoiseSource;

/**
 * The deterministic fixtures of diffusers' {@code tests/schedulers/test_schedulers.py}, rebuilt in Java so that the
 * "full loop" tests can be ported with their numbers: {@code dummy_sample_deter}, {@code dummy_noise_deter} and
 * {@code dummy_model}.
 */
final class DiffusersTestKit {

    static final int BATCH = 4;
    static final int CHANNELS = 3;
    static final int HEIGHT = 8;
    static final int WIDTH = 8;
    static final int COUNT = BATCH * CHANNELS * HEIGHT * WIDTH;

    private DiffusersTestKit() {}

    /**
     * {@code torch.arange(768).reshape(3, 8, 8, 4) / 768} permuted to [4, 3, 8, 8], flattened in C order: element
     * [b, c, h, w] is (((c·8 + h)·8 + w)·4 + b) / 768 in float32.
     */
    static float[] dummySampleDeter() {
        return deterministic(false);
    }

    /** {@code dummy_noise_deter}: the same construction on the reversed range, 767 − index. */
    static float[] dummyNoiseDeter() {
        return deterministic(true);
    }

    private static float[] deterministic(boolean flipped) {
        float[] out = new float[COUNT];
        for (int b = 0; b < BATCH; b++) {
            for (int c = 0; c < CHANNELS; c++) {
                for (int h = 0; h < HEIGHT; h++) {
                    for (int w = 0; w < WIDTH; w++) {
                        int source = ((c * HEIGHT + h) * WIDTH + w) * BATCH + b;
                        int value = flipped ? COUNT - 1 - source : source;
                        out[((b * CHANNELS + c) * HEIGHT + h) * WIDTH + w] = (float) value / (float) COUNT;
                    }
                }
            }
        }
        return out;
    }

    /** {@code dummy_model}: sample · t / (t + 1), with t cast to float32 like the sample. */
    static float[] dummyModel(float[] sample, double timestep) {
        float t = (float) timestep;
        float[] out = new float[sample.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sample[i] * t / (t + 1f);
        }
        return out;
    }

    /** sample · factor, as {@code sample * scheduler.init_noise_sigma} (float32). */
    static float[] times(float[] sample, double factor) {
        float f = (float) factor;
        float[] out = new float[sample.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sample[i] * f;
        }
        return out;
    }

    static double sumAbs(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += Math.abs(v);
        }
        return sum;
    }

    static double meanAbs(float[] values) {
        return sumAbs(values) / values.length;
    }

    /** A noise source that returns zeros and counts the draws. */
    static final class ZeroNoise implements NoiseSource {
        int draws;
        int values;

        @Override
        public float[] randn(int count) {
            draws++;
            values += count;
            return new float[count];
        }
    }

    /** A noise source that returns the same fixed vector on every draw. */
    static final class FixedNoise implements NoiseSource {
        private final float[] noise;

        FixedNoise(float[] noise) {
            this.noise = noise;
        }

        @Override
        public float[] randn(int count) {
            if (count != noise.length) {
                throw new IllegalArgumentException("expected a draw of " + noise.length + ", got " + count);
            }
            return noise.clone();
        }
    }

    /**
     * Replays the draws of {@code torch.manual_seed(0)} recorded by {@code tools/schedulers/record_torch_noise.py}
     * (10 draws of 4×3×8×8 float32), so that the tests that diffusers runs with torch noise can be ported.
     */
    static final class TorchSeed0Noise implements NoiseSource {
        private final float[] all;
        private int position;

        TorchSeed0Noise() {
            try (java.io.InputStream in = DiffusersTestKit.class.getResourceAsStream(
                    "torch_seed0_randn_10x4x3x8x8.f32")) {
                byte[] bytes = in.readAllBytes();
                java.nio.FloatBuffer floats = java.nio.ByteBuffer.wrap(bytes)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                all = new float[floats.remaining()];
                floats.get(all);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public float[] randn(int count) {
            if (position + count > all.length) {
                throw new IllegalStateException("recorded torch noise exhausted");
            }
            float[] out = java.util.Arrays.copyOfRange(all, position, position + count);
            position += count;
            return out;
        }
    }

    /** A config with diffusers' test defaults: T, linear β 0.0001–0.02. */
    static SchedulerConfig.Builder linearConfig(int trainSteps) {
        return SchedulerConfig.builder().numTrainTimesteps(trainSteps).betaStart(0.0001).betaEnd(0.02)
                .betaSchedule("linear");
    }
}
