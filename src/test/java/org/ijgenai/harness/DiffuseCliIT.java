package org.ijgenai.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.process.ImageStatistics;
import ij.process.ShortProcessor;
import org.ijgenai.core.noise.BetaSchedule;
import org.ijgenai.testing.DiffusersFormulas;
import org.ijgenai.testing.Dist;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code bin/ij-genai diffuse} and {@code demo}, run through the packaged launcher. */
class DiffuseCliIT {

    private static final Pattern LABEL = Pattern.compile("t=(\\d+) alpha_bar=([0-9.]+) SNR=(\\S+)");
    private static final int SIDE = 256;
    /** The grey level of the constant test image and its display range, 0…65535. */
    private static final int GREY = 45000;

    @TempDir
    Path tmp;

    private Processes.Result launch(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Dist.launcher().toString());
        command.addAll(List.of(args));
        return Processes.run(command, tmp, Map.of("HOME", tmp.toString()), 120);
    }

    private Path constantGrey16() {
        ShortProcessor ip = new ShortProcessor(SIDE, SIDE);
        ip.setValue(GREY);
        ip.fill();
        ip.setMinAndMax(0, 65535);
        Path file = tmp.resolve("grey16.tif");
        assertTrue(new FileSaver(new ImagePlus("grey16", ip)).saveAsTiff(file.toString()));
        return file;
    }

    @ParameterizedTest
    @EnumSource(BetaSchedule.class)
    void constantGreyGivesMeanSqrtAlphaBarCAndStdSqrtOneMinusAlphaBarInNormalisedUnits(BetaSchedule schedule)
            throws Exception {
        Path image = constantGrey16();
        Path out = tmp.resolve(schedule.configName() + ".tif");
        Path plot = tmp.resolve(schedule.configName() + ".png");
        Processes.Result run = launch("diffuse", "--image", image.toString(), "--schedule", schedule.configName(),
                "--frames", "6", "--seed", "11", "--out", out.toString(), "--plot", plot.toString());
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(Files.size(plot) > 1000, "plot PNG written");

        ImagePlus frames = IJ.openImage(out.toString());
        assertNotNull(frames, "output stack readable");
        assertEquals(32, frames.getBitDepth());
        assertEquals(6, frames.getStackSize());
        double c = 2.0 * GREY / 65535 - 1;
        double[] formula = DiffusersFormulas.alphaBar(schedule, 1000, 0.0001, 0.02);
        int[] expectedT = {0, 200, 400, 599, 799, 999};
        ImageStack stack = frames.getStack();
        int n = SIDE * SIDE;
        for (int k = 1; k <= 6; k++) {
            Matcher label = LABEL.matcher(stack.getSliceLabel(k));
            assertTrue(label.find(), "slice label: " + stack.getSliceLabel(k));
            int t = Integer.parseInt(label.group(1));
            assertEquals(expectedT[k - 1], t);
            double alphaBar = Double.parseDouble(label.group(2));
            // The label prints 6 decimals (±5e-7); the schedule itself is pinned to 1e-6 in the unit tests.
            assertEquals(formula[t], alphaBar, 1e-6 + 5e-7, schedule + " ᾱ at t=" + t);
            ImageStatistics stats = stack.getProcessor(k).getStats();
            // Normalised units: u = 2·v/65535 − 1 (the display range 0…65535 maps to [−1, 1]).
            double mean = 2 * stats.mean / 65535 - 1;
            double std = 2 * stats.stdDev / 65535;
            double sigma = Math.sqrt(1 - formula[t]);
            String where = schedule.configName() + " t=" + t;
            assertEquals(Math.sqrt(formula[t]) * c, mean, 5 * sigma / Math.sqrt(n) + 1e-5, "mean " + where);
            assertEquals(sigma, std, 5 * sigma / Math.sqrt(2.0 * n) + 1e-5, "std " + where);
        }
    }

    @Test
    void listedTimestepsAndSeedAreReproducible() throws Exception {
        Path image = Dist.samples().resolve("camera.png");
        Path a = tmp.resolve("a.tif");
        Path b = tmp.resolve("b.tif");
        for (Path out : List.of(a, b)) {
            Processes.Result run = launch("diffuse", "--image", image.toString(), "--schedule", "scaled_linear",
                    "--beta-start", "0.00085", "--beta-end", "0.012", "--t", "0,250,500,999", "--seed", "1234",
                    "--out", out.toString());
            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(run.output().contains("t=250"), run.describe());
        }
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(b)), "same seed, same bytes");
        ImagePlus frames = IJ.openImage(a.toString());
        assertEquals(8, frames.getBitDepth(), "8-bit input keeps its type");
        assertEquals(4, frames.getStackSize());
        assertTrue(frames.getStack().getSliceLabel(4).startsWith("t=999 "));
    }

    @Test
    void badArgumentsGiveOneLineErrorsAndExitCodes() throws Exception {
        Processes.Result both = launch("diffuse", "--image", "x.png", "--frames", "3", "--t", "1", "--out", "o.tif");
        assertEquals(2, both.exitCode(), both.describe());
        assertTrue(both.output().contains("either --frames N or --t LIST"), both.describe());
        Processes.Result missing = launch("diffuse", "--image", tmp.resolve("none.png").toString(), "--out", "o.tif");
        assertEquals(1, missing.exitCode(), missing.describe());
        assertTrue(missing.output().contains("no image file at") && !missing.output().contains("\tat "),
                missing.describe());
        Processes.Result schedule = launch("diffuse", "--image", "x.png", "--schedule", "cosine", "--out", "o.tif");
        assertEquals(2, schedule.exitCode(), schedule.describe());
        assertTrue(schedule.output().contains("squaredcos_cap_v2"), schedule.describe());
        Processes.Result unknown = launch("diffuse", "--image", "x.png", "--out", "o.tif", "--stepz", "3");
        assertEquals(2, unknown.exitCode(), unknown.describe());
        assertTrue(unknown.output().contains("unknown option --stepz"), unknown.describe());
    }

    @Test
    void demoWritesTheStackMontageAndPlot() throws Exception {
        Processes.Result run = launch("demo", "--no-show", "--out", tmp.resolve("demo").toString());
        assertEquals(0, run.exitCode(), run.describe());
        ImagePlus stack = IJ.openImage(tmp.resolve("demo/forward-diffusion.tif").toString());
        assertEquals(8, stack.getStackSize());
        assertEquals(24, stack.getBitDepth());
        assertTrue(stack.getStack().getSliceLabel(1).startsWith("t=0 alpha_bar=0.999900"));
        ImagePlus plot = IJ.openImage(tmp.resolve("demo/noise-schedules.png").toString());
        assertTrue(plot.getWidth() > 900, "three plot panels side by side");
        assertTrue(Files.size(tmp.resolve("demo/forward-diffusion-montage.png")) > 10_000);
    }
}
