package org.ijgenai.imagej;

import java.awt.image.IndexColorModel;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.attention.AttentionMapsJob;
import org.ijgenai.core.attention.HeatMapOverlay;
import org.ijgenai.core.attention.PromptWords;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.plugin.LutLoader;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.LUT;

/**
 * The ImagePlus forms of an attention-maps result, shared by the Attention Maps command and {@code ij-genai
 * attention}: the per-step hyperstack (channel = word, frame = step), the per-word 32-bit maps, and the heat-map
 * overlays on the generated image.
 */
public final class AttentionImages {

    /** The lookup tables offered, in dialog order; "jet" is DAAM's, the others are ImageJ's own. */
    public static final String[] LUTS = {"fire", "jet", "ice", "spectrum"};

    private AttentionImages() {
    }

    /** The hyperstack of per-step maps: one channel per word, one frame per step, labelled, 32-bit. */
    public static ImagePlus stepHyperstack(AttentionMapsJob.Result result, String title, String lut) {
        int w = result.width();
        int h = result.height();
        List<PromptWords.Word> words = result.words();
        ImageStack stack = new ImageStack(w, h);
        for (int s = 0; s < result.steps().size(); s++) {
            for (int word = 0; word < words.size(); word++) {
                stack.addSlice(result.label(word, s), new FloatProcessor(w, h, result.stepWordMaps().get(s).get(word)));
            }
        }
        ImagePlus imp = new ImagePlus(title + "-attention-steps", stack);
        imp.setDimensions(words.size(), 1, result.steps().size());
        imp.setOpenAsHyperStack(true);
        CompositeImage composite = new CompositeImage(imp, words.size() > 1 ? CompositeImage.GRAYSCALE
                : CompositeImage.COLOR);
        LUT table = lut(lut);
        for (int c = 1; c <= words.size(); c++) {
            composite.setChannelLut(table, c);
            composite.setPosition(c, 1, result.steps().size());
            composite.resetDisplayRange();
        }
        composite.setPosition(1, 1, result.steps().size());
        return composite;
    }

    /** The maps over the selected steps, one 32-bit slice per word labelled with the word, for measurement. */
    public static ImagePlus wordMaps(AttentionMapsJob.Result result, String title, String lut) {
        ImageStack stack = new ImageStack(result.width(), result.height());
        for (int word = 0; word < result.words().size(); word++) {
            stack.addSlice("\"" + result.words().get(word).text() + "\"",
                    new FloatProcessor(result.width(), result.height(), result.wordMaps().get(word)));
        }
        ImagePlus imp = new ImagePlus(title + "-attention", stack);
        imp.getProcessor().setLut(lut(lut));
        imp.resetDisplayRange();
        return imp;
    }

    /** Per word, the generated image with the word's map blended over it at {@code opacity} in [0, 1]. */
    public static ImagePlus overlays(AttentionMapsJob.Result result, String title, String lut, double opacity) {
        int[] image = result.picture();
        int[] colours = colours(lut(lut));
        ImageStack stack = new ImageStack(result.width(), result.height());
        for (int word = 0; word < result.words().size(); word++) {
            int[] blended = HeatMapOverlay.blend(image, result.wordMaps().get(word), colours, opacity);
            stack.addSlice("\"" + result.words().get(word).text() + "\"",
                    new ColorProcessor(result.width(), result.height(), blended));
        }
        return new ImagePlus(title + "-attention-overlay", stack);
    }

    /** Puts the run's parameters in the image's Info, as the generated image carries them. */
    public static void describe(ImagePlus imp, Map<String, String> parameters) {
        GeneratedImagePlus.describe(imp, parameters);
    }

    /** One of {@link #LUTS}. @throws IllegalArgumentException for another name */
    public static LUT lut(String name) {
        switch (name) {
            case "jet": {
                int[] packed = HeatMapOverlay.jet();
                byte[] r = new byte[256];
                byte[] g = new byte[256];
                byte[] b = new byte[256];
                for (int i = 0; i < 256; i++) {
                    r[i] = (byte) (packed[i] >> 16);
                    g[i] = (byte) (packed[i] >> 8);
                    b[i] = (byte) packed[i];
                }
                return new LUT(r, g, b);
            }
            case "fire":
            case "ice":
            case "spectrum":
                return new LUT(LutLoader.getLut(name), 0, 255);
            default:
                throw new IllegalArgumentException("lut must be one of " + String.join(", ", LUTS) + ", was " + name);
        }
    }

    private static int[] colours(IndexColorModel model) {
        int[] out = new int[256];
        for (int i = 0; i < 256; i++) {
            out[i] = model.getRGB(i) & 0xffffff;
        }
        return out;
    }
}
