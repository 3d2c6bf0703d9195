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
            int[] s = values.expand();
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
