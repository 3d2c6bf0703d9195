package org.ijgenai.core.search;

/**
 * Pillow's resampling filters, keyed by the integer that {@code preprocessor_config.json} stores as
 * {@code resample} (PIL's {@code Image.Resampling} values), with the kernels and supports of Pillow's
 * {@code libImaging/Resample.c}.
 */
public enum PilFilter {
    /** Nearest neighbour (0); not a convolution, handled separately by the resampler. */
    NEAREST(0, 0.0),
    /** Lanczos-3 (1): sinc(x)·sinc(x/3) on [−3, 3). */
    LANCZOS(1, 3.0),
    /** Triangle (2). */
    BILINEAR(2, 1.0),
    /** Keys' cubic convolution with a = −0.5 (3), CLIP's choice. */
    BICUBIC(3, 2.0),
    /** Box (4): 1 on (−0.5, 0.5]. */
    BOX(4, 0.5),
    /** Hamming-windowed sinc (5). */
    HAMMING(5, 1.0);

    private final int code;
    private final double support;

    PilFilter(int code, double support) {
        this.code = code;
        this.support = support;
    }

    /** PIL's integer code for the filter. */
    public int code() {
        return code;
    }

    /** Half-width of the kernel at scale 1, in input pixels. */
    public double support() {
        return support;
    }

    /** The filter with PIL's code {@code code}. @throws IllegalArgumentException for an unknown code */
    public static PilFilter ofCode(int code) {
        for (PilFilter f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown PIL resample filter " + code
                + " (expected 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic, 4 box or 5 hamming)");
    }

    /** The kernel's weight at distance {@code x}, evaluated in double precision like Pillow. */
    double weight(double x) {
        switch (this) {
            case BOX:
                return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
            case BILINEAR: {
                double ax = Math.abs(x);
                return ax < 1.0 ? 1.0 - ax : 0.0;
            }
            case HAMMING: {
                double ax = Math.abs(x);
                if (ax == 0.0) {
                    return 1.0;
                }
                if (ax >= 1.0) {
                    return 0.0;
                }
                double px = ax * Math.PI;
                // Pillow writes these constants as C floats (0.54f, 0.46f) and promotes them to double.
                return Math.sin(px) / px * ((double) 0.54f + (double) 0.46f * Math.cos(px));
            }
            case BICUBIC: {
                final double a = -0.5;
                double ax = Math.abs(x);
                if (ax < 1.0) {
                    return ((a + 2.0) * ax - (a + 3.0)) * ax * ax + 1;
                }
                if (ax < 2.0) {
                    return (((ax - 5) * ax + 8) * ax - 4) * a;
                }
                return 0.0;
            }
            case LANCZOS:
                return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
            default:
                throw new IllegalStateException(this + " is not a convolution filter");
        }
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        double px = x * Math.PI;
        return Math.sin(px) / px;
    }
}
