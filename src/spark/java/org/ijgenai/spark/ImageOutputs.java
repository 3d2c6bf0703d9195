package org.ijgenai.spark;

import java.io.IOException;
import java.util.Locale;

import org.apache.hadoop.fs.Path;
import org.ijgenai.core.GenAiException;

import ij.ImagePlus;
import ij.io.FileSaver;

/** Writes a job's per-image outputs: locally with ImageJ's FileSaver, then under the prefix by temp and rename. */
final class ImageOutputs {

    private ImageOutputs() {}

    /**
     * Saves {@code image} as {@code PREFIX/<kind>/<input path><suffix>}, in the format of the suffix (.tif, .png,
     * .jpg).
     *
     * @return the URI of the written file
     */
    static String save(ImagePlus image, InputImage input, String kind, String suffix, ImageJob.Context context)
            throws IOException {
        java.nio.file.Path local = context.scratch().resolve("out-" + kind + suffix);
        FileSaver saver = new FileSaver(image);
        String name = suffix.toLowerCase(Locale.ROOT);
        boolean single = image.getStackSize() == 1;
        boolean ok;
        if (name.endsWith(".tif")) {
            ok = single ? saver.saveAsTiff(local.toString()) : saver.saveAsTiffStack(local.toString());
        } else if (single && name.endsWith(".png")) {
            ok = saver.saveAsPng(local.toString());
        } else if (single && name.endsWith(".jpg")) {
            ok = saver.saveAsJpeg(local.toString());
        } else {
            throw new GenAiException("cannot write a " + image.getStackSize() + "-slice result as " + suffix
                    + "; use .tif");
        }
        if (!ok) {
            throw new IOException("cannot write " + local);
        }
        return upload(local, input, kind, suffix, context);
    }

    /** Moves a finished local file to {@code PREFIX/<kind>/<input path><suffix>}. */
    static String upload(java.nio.file.Path local, InputImage input, String kind, String suffix,
            ImageJob.Context context) throws IOException {
        Path target = context.output().imageOutput(kind, input, suffix);
        Path temp = context.temp(kind + "-" + Math.abs(input.key().hashCode()) + suffix);
        context.fs().copyFromLocalFile(true, true, new Path(local.toUri()), temp);
        JobOutput.replace(context.fs(), temp, target);
        return context.fs().makeQualified(target).toString();
    }
}
