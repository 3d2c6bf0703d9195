package org.ijgenai.imagej;

import java.util.Locale;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.noise.ForwardDiffusion;
import org.ijgenai.core.noise.ForwardDiffusionRequest;
import org.ijgenai.core.diffusion.IntensityRange;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.random.NumpyRandomState;
import org.ijgenai.core.noise.NoiseSchedule;

/**
 * Turns one ImageJ image plane into the model range [−1, 1] and the forward-diffusion frames back into a labelled
 * stack, shared by the {@code Forward Diffusion...} command and the {@code diffuse} CLI.
 *
 * <p>Intensity mapping: 8-bit and RGB map 0…255 to [−1, 1] (RGB per channel) and come back as the same type,
 * rounded and clipped to 0…255; 16- and 32-bit map the image's display range to [−1, 1] and come back as 32-bit
 * without clipping, with the same display range.
 */
public final class ForwardDiffusionImages {

    private ForwardDiffusionImages() {}

    /**
     * The intensity range that maps to [−1, 1]: 0…255 for 8-bit and RGB, the display range for 16- and 32-bit.
     *
     * @throws GenAiException when the display range is empty, e.g. a constant 32-bit image
     */
    public static IntensityRange rangeOf(ImageProcessor ip) {
        if (ip instanceof ByteProcessor || ip instanceof ColorProcessor) {
            return IntensityRange.BYTE;
        }
        double low = ip.getMin();
        double high = ip.getMax();
        if (!(high > low)) {
            throw new GenAiException("the display range [" + low + ", " + high + "] is empty, so it cannot be mapped"
                    + " to [-1, 1]; set a display range (Image > Adjust > Brightness/Contrast, or setMinAndMax)");
        }
        return new IntensityRange(low, high);
    }

    /** The pixels as model values in C order [C, H, W]: one plane for grey, R, G, B planes for RGB. */
    public static float[] toUnit(ImageProcessor ip, IntensityRange range) {
        int n = ip.getWidth() * ip.getHeight();
        if (ip instanceof ColorProcessor color) {
            float[] out = new float[3 * n];
            int[] pixels = (int[]) color.getPixels();
            for (int i = 0; i < n; i++) {
                int c = pixels[i];
                out[i] = range.toUnit((c >> 16) & 0xff);
                out[n + i] = range.toUnit((c >> 8) & 0xff);
                out[2 * n + i] = range.toUnit(c & 0xff);
            }
            return out;
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = range.toUnit(ip.getf(i));
        }
        return out;
    }

    /** One frame of model values back as a plane of the output type (see the class comment). */
    public static ImageProcessor fromUnit(float[] frame, int width, int height, ImageProcessor like,
            IntensityRange range) {
        int n = width * height;
        if (like instanceof ColorProcessor) {
            int[] pixels = new int[n];
            for (int i = 0; i < n; i++) {
                int r = toByte(range.fromUnit(frame[i]));
                int g = toByte(range.fromUnit(frame[n + i]));
                int b = toByte(range.fromUnit(frame[2 * n + i]));
                pixels[i] = 0xff000000 | (r << 16) | (g << 8) | b;
            }
            return new ColorProcessor(width, height, pixels);
        }
        if (like instanceof ByteProcessor) {
            byte[] pixels = new byte[n];
            for (int i = 0; i < n; i++) {
                pixels[i] = (byte) toByte(range.fromUnit(frame[i]));
            }
            return new ByteProcessor(width, height, pixels);
        }
        float[] pixels = new float[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = (float) range.fromUnit(frame[i]);
        }
        FloatProcessor out = new FloatProcessor(width, height, pixels);
        out.setMinAndMax(range.low(), range.high());
        return out;
    }

    private static int toByte(double value) {
        long rounded = Math.round(value);
        return (int) Math.max(0, Math.min(255, rounded));
    }

    /**
     * Runs the forward process on one plane of {@code source} and returns a new image: one labelled slice per
     * timestep, the source's calibration, and the parameters in its Info property. The source is not modified.
     */
    public static ImagePlus diffuse(ImagePlus source, ImageProcessor plane, ForwardDiffusionRequest request,
            CancellationToken cancel, ProgressListener progress) {
        IntensityRange range = rangeOf(plane);
        int width = plane.getWidth();
        int height = plane.getHeight();
        NoiseSchedule schedule = request.noiseSchedule();
        int[] timesteps = request.timesteps();
        float[] x0 = toUnit(plane, range);
        float[][] frames = ForwardDiffusion.frames(schedule, x0, timesteps, new NumpyRandomState(request.seed()),
                cancel, progress);
        ImageStack stack = new ImageStack(width, height);
        for (int k = 0; k < frames.length; k++) {
            cancel.throwIfCancelled();
            stack.addSlice(ForwardDiffusion.label(schedule, timesteps[k]),
                    fromUnit(frames[k], width, height, plane, range));
        }
        String title = source.getShortTitle() + " forward diffusion (" + request.schedule().configName() + ")";
        ImagePlus result = new ImagePlus(title, stack);
        result.setCalibration(source.getCalibration().copy());
        if (plane instanceof ByteProcessor) {
            result.getProcessor().setColorModel(plane.getColorModel());
        } else if (!(plane instanceof ColorProcessor)) {
            result.setDisplayRange(range.low(), range.high());
        }
        result.setProperty("Info", describe(request, range, timesteps));
        return result;
    }

    /** The parameters and mapping of a run, as text for the Info property (Image > Show Info). */
    static String describe(ForwardDiffusionRequest request, IntensityRange range, int[] timesteps) {
        StringBuilder info = new StringBuilder();
        info.append("Forward diffusion x_t = sqrt(alpha_bar_t)*x0 + sqrt(1-alpha_bar_t)*eps, one eps for all frames\n");
        info.append("schedule=").append(request.schedule().configName()).append('\n');
        info.append(String.format(Locale.ROOT, "beta_start=%s%nbeta_end=%s%n", request.betaStart(),
                request.betaEnd()));
        info.append("num_train_timesteps=").append(request.numTrainTimesteps()).append('\n');
        info.append("seed=").append(request.seed()).append(" (numpy RandomState)\n");
        info.append(String.format(Locale.ROOT, "intensity range [%s, %s] mapped to [-1, 1]%n", range.low(),
                range.high()));
        info.append("timesteps=").append(java.util.Arrays.toString(timesteps)).append('\n');
        return info.toString();
    }
}
