package org.ijgenai.imagej;

import org.ijgenai.core.diffusion.InpaintJob;
import org.ijgenai.core.diffusion.SelectionMasks;
import org.ijgenai.core.image.CanvasExtension;

import ij.IJ;
import ij.ImagePlus;
import ij.plugin.PlugIn;

/**
 * Plugins › Generative AI › Generative Expand...: enlarges the canvas of the current image by some pixels on
 * chosen sides, pre-fills the new border from the edges, and paints it from a prompt, into a new window; the
 * original image is not changed.
 */
public final class GenerativeExpandCommand extends GenAiCommand implements PlugIn {

    private static final String TITLE = "Generative Expand";

    /**
     * The pixels to add on each side: the sides as given, or, for a target canvas size, the difference split
     * evenly (the odd pixel to the right and the bottom).
     */
    static int[] sides(int[] asked, int width, int height) {
        int cw = asked[4];
        int ch = asked[5];
        if (cw == 0 && ch == 0) {
            return new int[] {asked[0], asked[1], asked[2], asked[3]};
        }
        if (cw < width || ch < height) {
            throw new IllegalArgumentException("the canvas size must be WxH at least the image's " + width + "x"
                    + height + ", or 0 to use the sides");
        }
        int dx = cw - width;
        int dy = ch - height;
        return new int[] {dx / 2, dx - dx / 2, dy / 2, dy - dy / 2};
    }

    @Override
    public void run(String arg) {
        ImagePlus source = IJ.getImage();
        if (source == null) {
            return;
        }
        InpaintDialog.Values values;
        CanvasExtension canvas;
        try {
            values = InpaintDialog.ask(TITLE, source, null, true);
            if (values == null) {
                return;
            }
            int[] s = sides(values.expand(), source.getWidth(), source.getHeight());
            canvas = CanvasExtension.extend(GenerativeFillCommand.rgb(source), s[0], s[1], s[2], s[3]);
        } catch (IllegalArgumentException e) {
            reportError(TITLE, e);
            return;
        }
        InpaintJob.Result result = InpaintRunner.run(TITLE, values, canvas.image(),
                SelectionMasks.fromGrey(canvas.mask()), source.getTitle());
        if (result != null) {
            InpaintRunner.show(result.images(), source.getTitle() + "-expanded", result);
        }
    }
}
