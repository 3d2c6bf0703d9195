package org.ijgenai.imagej;

import java.nio.file.Path;

import ij.ImagePlus;
import ij.ImageStack;
import ij.plugin.filter.AVI_Writer;
import ij.process.ColorProcessor;

import org.ijgenai.core.AtomicFiles;
import org.ijgenai.core.diffusion.LatentWalk;

/**
 * Turns a latent walk into an ImagePlus and an AVI, for the menu command and the CLI alike: a stack labelled with
 * each frame's position, the walk's parameters in Info ({@link GridImages} draws grids).
 */
public final class SweepImages {

    private SweepImages() {}

    /** The walk's frames as an RGB stack, slice labels "3: seed 3→8 t=0.250", the walk's parameters in Info. */
    public static ImagePlus walkStack(LatentWalk.Result walk, String title) {
        LatentWalk.FrameImage first = walk.frames().get(0);
        ImageStack stack = new ImageStack(first.width(), first.height());
        for (LatentWalk.FrameImage f : walk.frames()) {
            stack.addSlice((f.frame().index() + 1) + ": " + f.frame().label(),
                    new ColorProcessor(f.width(), f.height(), f.rgb()));
        }
        ImagePlus imp = new ImagePlus(title, stack);
        GeneratedImagePlus.describe(imp, walk.parameters());
        return imp;
    }

    /** Writes a stack as an AVI through ImageJ's own writer (PNG-compressed frames, so lossless), atomically. */
    public static void writeAvi(ImagePlus imp, Path file) {
        AtomicFiles.write(file, temporary -> new AVI_Writer().writeImage(imp, temporary.toString(),
                AVI_Writer.PNG_COMPRESSION, 90));
    }
}
