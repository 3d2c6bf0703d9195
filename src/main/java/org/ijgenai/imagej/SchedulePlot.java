package org.ijgenai.imagej;

import java.awt.Color;
import java.awt.Font;
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

    /** The panels' y-axis labels, in the paper's notation. */
    static final List<String> LABELS = List.of("β_t (log scale)", "ᾱ_t = ∏(1−β_s)",
            "log-SNR(t) = ln(ᾱ_t / (1−ᾱ_t))");
    /** The same labels in ASCII, for a machine with no font that has ᾱ, ∏ or β. */
    static final List<String> ASCII_LABELS = List.of("beta_t (log scale)", "alpha_bar_t = prod(1 - beta_s)",
            "log-SNR(t) = ln(alpha_bar_t / (1 - alpha_bar_t))");

    private SchedulePlot() {}

    /**
     * The first font that can draw every character of {@code text}, or null when none can. A font is a single
     * physical font where the logical ones are composites with fallbacks, so ImageJ's plot font (Arial where it is
     * installed) may draw ᾱ (U+1FB1) as a box.
     */
    static Font labelFont(List<Font> candidates, String text) {
        for (Font font : candidates) {
            if (font != null && font.canDisplayUpTo(text) == -1) {
                return font;
            }
        }
        return null;
    }

    /**
     * The font of the axis labels on this machine: ImageJ's plot font if it has ᾱ, ∏, β and −, else DejaVu Sans
     * (which CI installs), else Java's SansSerif; null means none has them and the ASCII labels are used.
     */
    static Font labelFont() {
        Font imagej = new Plot("font", "t", "y").getDefaultFont();
        float size = imagej == null ? 12f : imagej.getSize2D();
        return labelFont(List.of(imagej == null ? new Font(Font.SANS_SERIF, Font.PLAIN, 12) : imagej,
                new Font("DejaVu Sans", Font.PLAIN, 1).deriveFont(size),
                new Font(Font.SANS_SERIF, Font.PLAIN, 1).deriveFont(size)), String.join("", LABELS));
    }

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
        Font font = labelFont();
        List<String> labels = font == null ? ASCII_LABELS : LABELS;
        Plot beta = panel(labels.get(0), font);
        Plot alphaBar = panel(labels.get(1), font);
        Plot logSnr = panel(labels.get(2), font);
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

    private static Plot panel(String yLabel, Font font) {
        Plot plot = new Plot("schedule", "t", yLabel);
        plot.setFrameSize(PANEL_WIDTH, PANEL_HEIGHT);
        if (font != null) {
            plot.setXLabelFont(font);
            plot.setYLabelFont(font);
        }
        return plot;
    }

    private static void add(Plot plot, Color color, float width, double[] x, double[] y) {
        plot.setColor(color);
        plot.setLineWidth(width);
        plot.add("line", x, y);
    }
}
