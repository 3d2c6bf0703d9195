package org.ijgenai.core.random;

import java.util.Arrays;

/**
 * A Java port of numpy's legacy {@code numpy.random.RandomState}: the MT19937 generator with numpy's seeding and
 * the legacy draws ({@code random_sample}, {@code randn} through the polar method, {@code randint}), so that a
 * seed gives the same numbers here as in a diffusers pipeline run with {@code generator=RandomState(seed)}.
 *
 * <p>Integer draws and uniform doubles are bit-exact. Gaussian draws go through {@code log}: {@link Math#log}
 * (HotSpot's intrinsic) agrees with glibc's {@code log} far more often than {@link StrictMath#log} (fdlibm), yet
 * about 0.03 % of the doubles still differ from Linux numpy's by 1–3 ulp. None of those differences survived
 * the cast to float32 that {@link #randn(int)} returns in 6 million draws (docs/tokenizer-and-seeds.md).
 *
 * <p>Not thread-safe: one instance is one stream of draws, consumed in order.
 */
public final class NumpyRandomState implements NoiseSource {

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;
    private static final long MAX_SEED = 0xffffffffL;

    private final int[] key = new int[N];
    private int pos;
    /** The second value of the last polar-method pair, returned by the next gaussian draw (numpy's has_gauss). */
    private boolean hasGauss;
    private double gauss;

    /**
     * The generator of {@code numpy.random.RandomState(seed)} for an integer seed.
     *
     * @throws IllegalArgumentException unless 0 ≤ seed ≤ 2³²−1, as numpy requires
     */
    public NumpyRandomState(long seed) {
        checkSeed(seed);
        initGenrand((int) seed);
    }

    private NumpyRandomState() {
    }

    /**
     * The generator of {@code numpy.random.RandomState(seeds)} for a one-dimensional array seed, which numpy
     * feeds to MT19937's {@code init_by_array} (so {@code fromSeedArray(5)} differs from {@code new
     * NumpyRandomState(5)}, as in numpy).
     *
     * @throws IllegalArgumentException when the array is empty or an element is outside 0…2³²−1
     */
    public static NumpyRandomState fromSeedArray(long... seeds) {
        if (seeds.length == 0) {
            throw new IllegalArgumentException("seed array must be non-empty");
        }
        int[] words = new int[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            checkSeed(seeds[i]);
            words[i] = (int) seeds[i];
        }
        NumpyRandomState state = new NumpyRandomState();
        state.initByArray(words);
        return state;
    }

    private static void checkSeed(long seed) {
        if (seed < 0 || seed > MAX_SEED) {
            throw new IllegalArgumentException("seed must be between 0 and 2**32 - 1, was " + seed);
        }
    }

    /** MT19937's {@code init_genrand}, the Knuth multiplicative fill numpy uses for an integer seed. */
    private void initGenrand(int seed) {
        key[0] = seed;
        for (int i = 1; i < N; i++) {
            key[i] = 1812433253 * (key[i - 1] ^ (key[i - 1] >>> 30)) + i;
        }
        pos = N;
        hasGauss = false;
        gauss = 0.0;
    }

    /** MT19937's {@code init_by_array}; int arithmetic wraps exactly like the reference's uint32 arithmetic. */
    private void initByArray(int[] initKey) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, initKey.length); k > 0; k--) {
            key[i] = (key[i] ^ ((key[i - 1] ^ (key[i - 1] >>> 30)) * 1664525)) + initKey[j] + j;
            i++;
            j++;
            if (i >= N) {
                key[0] = key[N - 1];
                i = 1;
            }
            if (j >= initKey.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            key[i] = (key[i] ^ ((key[i - 1] ^ (key[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                key[0] = key[N - 1];
                i = 1;
            }
        }
        key[0] = UPPER_MASK; // guarantees a non-zero initial state
        pos = N;
        hasGauss = false;
        gauss = 0.0;
    }

    private void regenerate() {
        int kk = 0;
        for (; kk < N - M; kk++) {
            int y = (key[kk] & UPPER_MASK) | (key[kk + 1] & LOWER_MASK);
            key[kk] = key[kk + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        }
        for (; kk < N - 1; kk++) {
            int y = (key[kk] & UPPER_MASK) | (key[kk + 1] & LOWER_MASK);
            key[kk] = key[kk + (M - N)] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        }
        int y = (key[N - 1] & UPPER_MASK) | (key[0] & LOWER_MASK);
        key[N - 1] = key[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        pos = 0;
    }

    /** The next raw 32-bit output of MT19937, as an unsigned value in a long. */
    public long nextUInt32() {
        return nextInt() & MAX_SEED;
    }

    private int nextInt() {
        if (pos == N) {
            regenerate();
        }
        int y = key[pos++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** The next 64 random bits: two 32-bit outputs, the first one high, as numpy's {@code mt19937_next64}. */
    private long nextUInt64() {
        long high = nextUInt32();
        return (high << 32) | nextUInt32();
    }

    /** numpy's {@code random_sample()}: a double in [0, 1) with 53 random bits. */
    public double randomSample() {
        long a = nextUInt32() >>> 5;
        long b = nextUInt32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** numpy's {@code random_sample(count)}, in draw order. */
    public double[] randomSample(int count) {
        checkCount(count);
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = randomSample();
        }
        return out;
    }

    /**
     * numpy's legacy {@code standard_normal()} as a double: Marsaglia's polar method, which makes two values per
     * accepted pair, returns the second and keeps the first for the next call.
     */
    public double nextGaussian() {
        if (hasGauss) {
            hasGauss = false;
            double cached = gauss;
            gauss = 0.0;
            return cached;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * randomSample() - 1.0;
            x2 = 2.0 * randomSample() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        // Math.log, not StrictMath.log: it matches glibc's log, which numpy calls, in far more cases
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /** numpy's {@code randn(*shape)} as doubles, in C order. */
    public double[] randnDouble(int... shape) {
        int count = count(shape);
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = nextGaussian();
        }
        return out;
    }

    /** numpy's {@code randn(*shape).astype(np.float32)}, in C order. */
    public float[] randnFloat(int... shape) {
        return randn(count(shape));
    }

    @Override
    public float[] randn(int count) {
        checkCount(count);
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) nextGaussian();
        }
        return out;
    }

    /**
     * numpy's legacy {@code randint(low, high)} with the default int64 dtype: a value in [low, high), drawn by
     * masked rejection sampling on 32-bit outputs when the range fits in 32 bits, else on 64-bit outputs.
     *
     * @throws IllegalArgumentException when {@code low >= high}, as numpy's "low >= high"
     */
    public long randint(long low, long high) {
        if (low >= high) {
            throw new IllegalArgumentException("low >= high: " + low + " >= " + high);
        }
        long range = high - 1 - low; // as unsigned, so that the full int64 range works
        return low + boundedUInt64(range);
    }

    /** numpy's {@code randint(low, high, size=count)}, in draw order. */
    public long[] randint(long low, long high, int count) {
        checkCount(count);
        if (low >= high) {
            throw new IllegalArgumentException("low >= high: " + low + " >= " + high);
        }
        long range = high - 1 - low;
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = low + boundedUInt64(range);
        }
        return out;
    }

    /** numpy's legacy {@code tomaxint()}: a non-negative int64, the top 63 of 64 random bits. */
    public long tomaxint() {
        return nextUInt64() >>> 1;
    }

    /** A value in [0, range] (range unsigned), as numpy's {@code random_bounded_uint64} with {@code use_masked}. */
    private long boundedUInt64(long range) {
        if (range == 0) {
            return 0;
        }
        if (Long.compareUnsigned(range, MAX_SEED) <= 0) {
            if (range == MAX_SEED) {
                return nextUInt32();
            }
            long mask = fillBelow(range);
            long value;
            do {
                value = nextUInt32() & mask;
            } while (value > range);
            return value;
        }
        if (range == -1L) {
            return nextUInt64();
        }
        long mask = fillBelow(range);
        long value;
        do {
            value = nextUInt64() & mask;
        } while (Long.compareUnsigned(value, range) > 0);
        return value;
    }

    /** The smallest all-ones bit mask that covers {@code value}. */
    private static long fillBelow(long value) {
        long mask = value;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        mask |= mask >>> 32;
        return mask;
    }

    private static int count(int... shape) {
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimensions are not allowed: " + Arrays.toString(shape));
            }
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large");
            }
        }
        return (int) count;
    }

    private static void checkCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be ≥ 0, was " + count);
        }
    }
}
