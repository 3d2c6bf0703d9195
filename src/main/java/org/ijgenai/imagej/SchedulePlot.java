package org.ijgenai.imagej;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;

import ij.ImagePlus;
import ij.gui.Plot;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import org.ijgenai.core.noise.BetaSchedule;
import org.ijgenai.core.noise.NoiseSchedule;

/**
 * The plot of a noise schedule: three ImageJ {@link Plot} panels side by side, β_t (log axis), ᾱ_t and
 * log-SNR(t) = ln(ᾱ_t/(1−ᾱ_t)) against t, optionally with all four β-schedules overlaid for comparison.
 */
public final class SchedulePlot {

    private static final int PANEL_WIDTH = 360;
    private static final int PANEL_HEIGHT = 260;
    private static final Color[] COLORS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)};

    private SchedulePlot() {}

    /**
     * Builds the plot image.
     *
     * @param selected the schedule of the run, drawn thicker
     * @param betaStart beta_start for every overlaid schedule
     * @param betaEnd beta_end for every overlaid schedule
     * @param numTrainTimesteps T
     * @param compareAll whether to overlay all four schedules with the same beta_start, beta_end and T
     */
    public static ImagePlus create(BetaSchedule selected, double betaStart, double betaEnd, int numTrainTimesteps,
            boolean compareAll) {
        List<BetaSchedule> shown = new ArrayList<>();
        if (compareAll) {
            shown.addAll(List.of(BetaSchedule.values()));
        } else {
            shown.add(selected);
        }
        List<NoiseSchedule> schedules = new ArrayList<>();
        for (BetaSchedule schedule : shown) {
            schedules.add(NoiseSchedule.of(schedule, numTrainTimesteps, betaStart, betaEnd));
        }
        double[] t = new double[numTrainTimesteps];
        for (int i = 0; i < t.length; i++) {
            t[i] = i;
        }
        Plot beta = panel("β_t (log scale)");
        Plot alphaBar = panel("ᾱ_t = ∏(1−β_s)");
        Plot logSnr = panel("log-SNR(t) = ln(ᾱ_t / (1−ᾱ_t))");
        beta.setLogScaleY();
        StringBuilder legend = new StringBuilder();
        for (int s = 0; s < shown.size(); s++) {
            NoiseSchedule schedule = schedules.get(s);
            double[] betas = new double[t.length];
            double[] alphas = new double[t.length];
            double[] snr = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                betas[i] = schedule.beta(i);
                alphas[i] = schedule.alphaCumprod(i);
                snr[i] = schedule.logSnr(i);
            }
            Color color = compareAll ? COLORS[shown.get(s).ordinal() % COLORS.length] : Color.BLUE;
            float width = shown.get(s) == selected ? 2f : 1f;
            add(beta, color, width, t, betas);
            add(alphaBar, color, width, t, alphas);
            add(logSnr, color, width, t, snr);
            legend.append(shown.get(s).configName()).append('\n');
        }
        for (Plot plot : List.of(beta, alphaBar, logSnr)) {
            plot.setLimitsToFit(false);
            plot.setColor(Color.BLACK);
            plot.addLegend(legend.toString(), "auto");
        }
        ImageProcessor[] panels = {beta.getProcessor(), alphaBar.getProcessor(), logSnr.getProcessor()};
        int width = 0;
        int height = 0;
        for (ImageProcessor panel : panels) {
            width += panel.getWidth();
            height = Math.max(height, panel.getHeight());
        }
        ColorProcessor montage = new ColorProcessor(width, height);
        montage.setColor(Color.WHITE);
        montage.fill();
        int x = 0;
        for (ImageProcessor panel : panels) {
            montage.insert(panel.convertToRGB(), x, 0);
            x += panel.getWidth();
        }
        String title = "Noise schedule (" + (compareAll ? "all four schedules" : selected.configName()) + ", T="
                + numTrainTimesteps + ")";
        return new ImagePlus(title, montage);
    }

    private static Plot panel(String yLabel) {
        Plot plot = new Plot("schedule", "t", yLabel);
        plot.setFrameSize(PANEL_WIDTH, PANEL_HEIGHT);
        return plot;
    }

    private static void add(Plot plot, Color color, float width, double[] x, double[] y) {
        plot.setColor(color);
        plot.setLineWidth(width);
        plot.add("line", x, y);
    }
}
