package org.ijgenai.core.gan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;

/**
 * GAN Latent Walk, the one core call behind the ImageJ command and {@code ij-genai gan-walk}: the request's z's
 * ({@link LatentPaths}) through a generator, with the labels and the grid layout to show them.
 *
 * @param frames the z's with their slice labels
 * @param pictures the generator's output for each z, in the same order
 * @param columnLabels the montage's column headers (sweep: the offsets; walk: none)
 * @param rowLabels the montage's row headers (sweep: the coordinates; walk: the segments)
 * @param columns the montage's columns
 * @param parameters everything that reproduces the result, for the image's Info and the PNG text
 */
public record GanLatentWalk(List<LatentFrame> frames, GanPictures pictures, List<String> columnLabels,
        List<String> rowLabels, int columns, Map<String, String> parameters) {

    /** Copies the lists. */
    public GanLatentWalk {
        frames = List.copyOf(frames);
        columnLabels = List.copyOf(columnLabels);
        rowLabels = List.copyOf(rowLabels);
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * Opens the generator, computes the request's z's and runs them.
     *
     * @throws IllegalArgumentException for parameters that do not fit the generator (a coordinate beyond z)
     * @throws org.ijgenai.core.GenAiException when the model cannot be loaded or run
     */
    public static GanLatentWalk run(GanDescriptor model, GanWalkRequest request, SessionSettings settings,
            ProgressListener progress, CancellationToken cancel) {
        try (GanGenerator generator = GanGenerator.open(model, settings)) {
            return run(generator, request, progress, cancel);
        }
    }

    /** Runs the request on an open generator (the caller keeps it open for more requests). */
    public static GanLatentWalk run(GanGenerator generator, GanWalkRequest request, ProgressListener progress,
            CancellationToken cancel) {
        int zDim = generator.zDim();
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("model", generator.descriptor().name() + " (" + generator.descriptor().model() + ")");
        parameters.put("z", zDim + " entries, input " + generator.input() + ", z of a seed = numpy"
                + " RandomState(seed).randn(" + zDim + ")");
        parameters.put("mode", request.mode().id());
        List<LatentFrame> frames;
        List<String> columnLabels = new ArrayList<>();
        List<String> rowLabels = new ArrayList<>();
        int columns;
        if (request.mode() == GanWalkRequest.Mode.WALK) {
            frames = LatentPaths.walk(request.seeds(), request.frames(), request.interpolation(), zDim);
            parameters.put("seeds", join(request.seeds()));
            parameters.put("interpolation", request.interpolation().id());
            parameters.put("frames", request.frames() + " per segment, both ends included");
            columns = request.frames();
            for (int s = 0; s + 1 < request.seeds().size(); s++) {
                rowLabels.add("seed " + request.seeds().get(s) + "→" + request.seeds().get(s + 1));
            }
        } else {
            int[] coordinates = LatentPaths.parseCoordinates(request.coordinates(), zDim);
            frames = LatentPaths.sweep(request.seed(), zDim, coordinates, request.range(), request.steps());
            parameters.put("seed", Long.toString(request.seed()));
            parameters.put("coordinates", request.coordinates().strip());
            parameters.put("range", String.format(Locale.ROOT, "±%s around z of the seed, %d steps",
                    trim(request.range()), request.steps()));
            columns = request.steps();
            for (double v : LatentPaths.offsets(request.range(), request.steps())) {
                columnLabels.add(String.format(Locale.ROOT, "%+.2f", v));
            }
            for (int i : coordinates) {
                rowLabels.add("z[" + i + "]");
            }
        }
        List<float[]> zs = new ArrayList<>();
        for (LatentFrame f : frames) {
            zs.add(f.z());
        }
        GanPictures pictures = generator.generate(zs, progress, cancel);
        return new GanLatentWalk(frames, pictures, columnLabels, rowLabels, columns, parameters);
    }

    /**
     * The montage cell of frame i: a walk's segments share their ends, so each row repeats the previous row's last
     * picture in its first column; a sweep's frames are already one row per coordinate.
     *
     * @return for each (row, column) cell in row order, the index of its frame
     */
    public int[] cells() {
        int rows = rowLabels.size();
        int[] cells = new int[rows * columns];
        boolean walk = columnLabels.isEmpty();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                cells[r * columns + c] = walk ? r * (columns - 1) + c : r * columns + c;
            }
        }
        return cells;
    }

    private static String join(List<Long> seeds) {
        StringBuilder out = new StringBuilder();
        for (long s : seeds) {
            out.append(out.length() == 0 ? "" : ",").append(s);
        }
        return out.toString();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
