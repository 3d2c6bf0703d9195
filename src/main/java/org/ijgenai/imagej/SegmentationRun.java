package org.ijgenai.imagej;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.segment.ConnectedComponents;
import org.ijgenai.core.segment.Segmentation;
import org.ijgenai.core.segment.SegmentationModel;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.PolygonRoi;
import ij.gui.Roi;
import ij.gui.Wand;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

/**
 * Segments the current slice or every slice of an image and turns the core results into ImageJ images and ROIs;
 * shared by the "Segment (CNN)..." command and the {@code segment} CLI.
 */
public final class SegmentationRun {

    /**
     * What to compute.
     *
     * @param threshold foreground probability cut-off for the mask, labels and ROIs
     * @param minSize objects smaller than this many pixels get no label and no ROI
     * @param tile 0 for the model's strategy, else the tile size
     */
    public record Options(double threshold, int minSize, int tile, boolean allSlices, boolean probability,
            boolean mask, boolean labels, boolean rois) {

        /** Validates the numbers. */
        public Options {
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException("threshold must be between 0 and 1, was " + threshold);
            }
            if (minSize < 0) {
                throw new IllegalArgumentException("minimum object size must be ≥ 0, was " + minSize);
            }
            if (tile < 0) {
                throw new IllegalArgumentException("tile size must be ≥ 0 (0 = the model's choice), was " + tile);
            }
        }
    }

    /** The requested outputs (null where not requested) and the notes about input conversions. */
    public record Outputs(ImagePlus probability, ImagePlus mask, ImagePlus labels, List<Roi> rois,
            List<String> notes) {
    }

    private SegmentationRun() {}

    /** The stack indexes to segment: one per slice, or per (slice, frame) position of a multi-channel image. */
    static List<Integer> positions(ImagePlus imp, boolean all) {
        List<Integer> indexes = new ArrayList<>();
        boolean channels = imp.getNChannels() > 1 && imp.getBitDepth() != 24;
        if (!all) {
            indexes.add(channels ? imp.getStackIndex(1, imp.getSlice(), imp.getFrame()) : imp.getCurrentSlice());
            return indexes;
        }
        if (channels) {
            for (int t = 1; t <= imp.getNFrames(); t++) {
                for (int z = 1; z <= imp.getNSlices(); z++) {
                    indexes.add(imp.getStackIndex(1, z, t));
                }
            }
        } else {
            for (int i = 1; i <= imp.getStackSize(); i++) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    /** Segments and builds the outputs. */
    public static Outputs run(ImagePlus imp, SegmentationModel model, Options options, ProgressListener progress,
            CancellationToken cancel) {
        List<Integer> indexes = positions(imp, options.allSlices());
        int width = imp.getWidth();
        int height = imp.getHeight();
        ImageStack probability = options.probability() ? new ImageStack(width, height) : null;
        ImageStack mask = options.mask() ? new ImageStack(width, height) : null;
        ImageStack labels = options.labels() ? new ImageStack(width, height) : null;
        List<Roi> rois = options.rois() ? new ArrayList<>() : null;
        Set<String> notes = new LinkedHashSet<>();
        int bitDepth = imp.getBitDepth();
        for (int n = 0; n < indexes.size(); n++) {
            int index = indexes.get(n);
            int slice = n;
            String label = indexes.size() > 1 ? "slice " + (n + 1) + "/" + indexes.size() + ": " : "";
            ProgressListener sliceProgress = (done, total, message) -> progress.progress(
                    slice * 1000 + (total == 0 ? 0 : done * 1000 / total), indexes.size() * 1000, label + message);
            Segmentation result = model.segment(ImageSources.of(imp, index), bitDepth, options.tile(),
                    sliceProgress, cancel);
            notes.addAll(result.notes());
            String sliceLabel = imp.getStack().getSliceLabel(index);
            if (probability != null) {
                probability.addSlice(sliceLabel, new FloatProcessor(width, height, result.foreground()));
            }
            if (mask != null) {
                boolean[] m = result.mask(options.threshold());
                byte[] pixels = new byte[m.length];
                for (int i = 0; i < m.length; i++) {
                    pixels[i] = m[i] ? (byte) 255 : 0;
                }
                mask.addSlice(sliceLabel, new ByteProcessor(width, height, pixels));
            }
            if (labels != null || rois != null) {
                ConnectedComponents.Labeling objects = result.objects(options.threshold(), options.minSize());
                ImageProcessor labelImage = labelProcessor(objects);
                if (labels != null) {
                    labels.addSlice(sliceLabel, labelImage);
                }
                if (rois != null) {
                    rois.addAll(outline(objects, labelImage, imp, index, indexes.size() > 1));
                }
            }
            cancel.throwIfCancelled();
        }
        String title = stripExtension(imp.getTitle());
        return new Outputs(image(title + "-probability", probability, imp), image(title + "-mask", mask, imp),
                image(title + "-labels", labels, imp), rois, List.copyOf(notes));
    }

    private static ImageProcessor labelProcessor(ConnectedComponents.Labeling objects) {
        int[] labels = objects.labels();
        if (objects.count() <= 65535) {
            short[] pixels = new short[labels.length];
            for (int i = 0; i < labels.length; i++) {
                pixels[i] = (short) labels[i];
            }
            ShortProcessor ip = new ShortProcessor(objects.width(), objects.height(), pixels, null);
            ip.setMinAndMax(0, Math.max(1, objects.count()));
            return ip;
        }
        float[] pixels = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            pixels[i] = labels[i];
        }
        return new FloatProcessor(objects.width(), objects.height(), pixels);
    }

    /** One traced polygon per object, started at its first pixel in raster order so the outer border is traced. */
    private static List<Roi> outline(ConnectedComponents.Labeling objects, ImageProcessor labelImage, ImagePlus imp,
            int stackIndex, boolean stack) {
        int[] first = new int[objects.count() + 1];
        Arrays.fill(first, -1);
        int[] labels = objects.labels();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] > 0 && first[labels[i]] < 0) {
                first[labels[i]] = i;
            }
        }
        List<Roi> rois = new ArrayList<>();
        Wand wand = new Wand(labelImage);
        int[] position = imp.convertIndexToPosition(stackIndex);
        for (int label = 1; label <= objects.count(); label++) {
            int x = first[label] % objects.width();
            int y = first[label] / objects.width();
            wand.autoOutline(x, y, label, label, Wand.EIGHT_CONNECTED);
            // PolygonRoi keeps the arrays it is given and the Wand reuses its own, so copy them.
            Roi roi = new PolygonRoi(Arrays.copyOf(wand.xpoints, wand.npoints),
                    Arrays.copyOf(wand.ypoints, wand.npoints), wand.npoints, Roi.TRACED_ROI);
            roi.setName(stack ? String.format("%04d-%05d", stackIndex, label) : String.format("%05d", label));
            if (stack) {
                if (imp.isHyperStack()) {
                    roi.setPosition(0, position[1], position[2]);
                } else {
                    roi.setPosition(stackIndex);
                }
            }
            rois.add(roi);
        }
        return rois;
    }

    private static ImagePlus image(String title, ImageStack stack, ImagePlus source) {
        if (stack == null) {
            return null;
        }
        ImagePlus out = new ImagePlus(title, stack);
        out.setCalibration(source.getCalibration());
        if (source.getNChannels() > 1 && source.getBitDepth() != 24 && stack.getSize() > 1) {
            out.setDimensions(1, source.getNSlices(), source.getNFrames());
        }
        return out;
    }

    static String stripExtension(String title) {
        int dot = title.lastIndexOf('.');
        return dot > 0 ? title.substring(0, dot) : title;
    }
}
