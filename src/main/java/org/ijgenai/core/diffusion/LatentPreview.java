package org.ijgenai.core.diffusion;

import java.util.Random;

import org.ijgenai.core.diffusion.network.LatentDistribution;
import org.ijgenai.core.tensor.Tensor;

/**
 * A cheap latent→RGB preview: an affine map from the latent channels to RGB, fitted by least squares to what this
 * model's own VAE decodes (rather than Stable Diffusion 1.5's hard-coded factors), applied per latent pixel.
 */
public final class LatentPreview {

    /** Side of the synthetic images the map is fitted on. */
    private static final int FIT_SIZE = 128;
    private static final int FIT_IMAGES = 4;
    /** A little ridge keeps the solve stable when a channel hardly varies. */
    private static final double RIDGE = 1e-6;

    private final int channels;
    /** weights[c][k]: RGB channel c from latent channel k; the last column is the bias. */
    private final double[][] weights;
    private final double rmsError;

    private LatentPreview(int channels, double[][] weights, double rmsError) {
        this.channels = channels;
        this.weights = weights;
        this.rmsError = rmsError;
    }

    /**
     * Fits the map for a model: encodes synthetic images of flat colour regions with its VAE encoder (or, without
     * one, draws standard-normal latents), decodes them with its VAE decoder, and regresses the 8×8-averaged colours
     * on the scaled latents.
     */
    public static LatentPreview fit(StableDiffusionModel model) {
        int channels = model.unet().latentChannels();
        float scaling = (float) model.folder().scalingFactor();
        int side = FIT_SIZE / 8;
        int n = FIT_IMAGES * side * side;
        double[][] x = new double[n][channels + 1];
        double[][] y = new double[n][3];
        Random random = new Random(20240229L);
        for (int image = 0; image < FIT_IMAGES; image++) {
            float[] latents;
            if (model.folder().hasVaeEncoder()) {
                float[] pixels = syntheticImage(random);
                LatentDistribution dist = model.vaeEncoder().encode(pixels, FIT_SIZE, FIT_SIZE, channels);
                latents = dist.mode();
            } else {
                latents = new float[channels * side * side];
                for (int i = 0; i < latents.length; i++) {
                    latents[i] = (float) (random.nextGaussian() / scaling);
                }
            }
            Tensor decoded = model.vaeDecoder().decode(latents, channels, side, side);
            float[] rgb = decoded.floats();
            int outW = (int) decoded.dim(3);
            int outH = (int) decoded.dim(2);
            int block = outW / side;
            for (int by = 0; by < side; by++) {
                for (int bx = 0; bx < side; bx++) {
                    int row = image * side * side + by * side + bx;
                    for (int k = 0; k < channels; k++) {
                        x[row][k] = latents[(k * side + by) * side + bx] * scaling;
                    }
                    x[row][channels] = 1.0;
                    for (int c = 0; c < 3; c++) {
                        double sum = 0;
                        for (int dy = 0; dy < block; dy++) {
                            for (int dx = 0; dx < block; dx++) {
                                float v = rgb[(c * outH + by * block + dy) * outW + bx * block + dx];
                                sum += Math.max(0, Math.min(1, v / 2 + 0.5));
                            }
                        }
                        y[row][c] = sum / (block * block);
                    }
                }
            }
        }
        double[][] weights = solve(x, y, channels + 1);
        double err = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                double pred = 0;
                for (int k = 0; k <= channels; k++) {
                    pred += weights[c][k] * x[i][k];
                }
                err += (pred - y[i][c]) * (pred - y[i][c]);
            }
        }
        return new LatentPreview(channels, weights, Math.sqrt(err / (3.0 * n)));
    }

    /** Builds a preview from known weights (rows R, G, B; columns the latent channels then the bias). */
    public static LatentPreview of(double[][] weights) {
        return new LatentPreview(weights[0].length - 1, weights, Double.NaN);
    }

    private static float[] syntheticImage(Random random) {
        // Flat regions of random colours with sharp borders (a Voronoi diagram), plus a gentle shading, like the
        // shapes, edges and gradients of generated images.
        int plane = FIT_SIZE * FIT_SIZE;
        float[] out = new float[3 * plane];
        int cells = 12;
        double[][] centres = new double[cells][5];
        for (double[] c : centres) {
            c[0] = random.nextDouble() * FIT_SIZE;
            c[1] = random.nextDouble() * FIT_SIZE;
            c[2] = random.nextDouble();
            c[3] = random.nextDouble();
            c[4] = random.nextDouble();
        }
        for (int yy = 0; yy < FIT_SIZE; yy++) {
            for (int xx = 0; xx < FIT_SIZE; xx++) {
                double[] nearest = centres[0];
                double best = Double.MAX_VALUE;
                for (double[] c : centres) {
                    double d2 = (xx - c[0]) * (xx - c[0]) + (yy - c[1]) * (yy - c[1]);
                    if (d2 < best) {
                        best = d2;
                        nearest = c;
                    }
                }
                double shade = 0.85 + 0.15 * yy / FIT_SIZE;
                for (int k = 0; k < 3; k++) {
                    out[k * plane + yy * FIT_SIZE + xx] = (float) (2 * nearest[2 + k] * shade - 1);
                }
            }
        }
        return out;
    }

    /** Least squares with a small ridge: one weight row per output channel. */
    private static double[][] solve(double[][] x, double[][] y, int m) {
        double[][] xtx = new double[m][m];
        double[][] xty = new double[m][3];
        for (int i = 0; i < x.length; i++) {
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    xtx[a][b] += x[i][a] * x[i][b];
                }
                for (int c = 0; c < 3; c++) {
                    xty[a][c] += x[i][a] * y[i][c];
                }
            }
        }
        for (int a = 0; a < m; a++) {
            xtx[a][a] += RIDGE * (1 + xtx[a][a]);
        }
        // Gaussian elimination with partial pivoting on the m×m normal equations, three right-hand sides.
        for (int col = 0; col < m; col++) {
            int pivot = col;
            for (int r = col + 1; r < m; r++) {
                if (Math.abs(xtx[r][col]) > Math.abs(xtx[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = xtx[col];
            xtx[col] = xtx[pivot];
            xtx[pivot] = tmp;
            tmp = xty[col];
            xty[col] = xty[pivot];
            xty[pivot] = tmp;
            for (int r = col + 1; r < m; r++) {
                double f = xtx[r][col] / xtx[col][col];
                for (int k = col; k < m; k++) {
                    xtx[r][k] -= f * xtx[col][k];
                }
                for (int c = 0; c < 3; c++) {
                    xty[r][c] -= f * xty[col][c];
                }
            }
        }
        double[][] w = new double[3][m];
        for (int c = 0; c < 3; c++) {
            for (int r = m - 1; r >= 0; r--) {
                double sum = xty[r][c];
                for (int k = r + 1; k < m; k++) {
                    sum -= xtx[r][k] * w[c][k];
                }
                w[c][r] = sum / xtx[r][r];
            }
        }
        return w;
    }

    /** The number of latent channels the map takes. */
    public int channels() {
        return channels;
    }

    /** The root-mean-square error of the fit on its own samples, in [0, 1] intensity units (NaN if given). */
    public double rmsError() {
        return rmsError;
    }

    /** A copy of the weights: rows R, G, B; columns the latent channels, then the bias. */
    public double[][] weights() {
        double[][] copy = new double[3][];
        for (int c = 0; c < 3; c++) {
            copy[c] = weights[c].clone();
        }
        return copy;
    }

    /**
     * Maps one image's scaled latents [C, h, w] to planar RGB [3, h, w] in [0, 1].
     */
    public float[] toRgb(float[] latents, int height, int width) {
        int plane = height * width;
        if (latents.length != channels * plane) {
            throw new IllegalArgumentException("expected " + channels + "×" + height + "×" + width
                    + " latents, got " + latents.length + " values");
        }
        float[] out = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                double v = weights[c][channels];
                for (int k = 0; k < channels; k++) {
                    v += weights[c][k] * latents[k * plane + i];
                }
                out[c * plane + i] = (float) Math.max(0, Math.min(1, v));
            }
        }
        return out;
    }
}
