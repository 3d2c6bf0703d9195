package org.ijgenai.core.catalog;

import java.util.Locale;

/**
 * One progress report.
 *
 * @param file the file being fetched (path inside the model)
 * @param fileIndex 1-based index of the file
 * @param fileCount number of files
 * @param done bytes of the whole model received so far (including earlier files and resumed parts)
 * @param total bytes of the whole model, or -1 when unknown
 * @param bytesPerSecond recent speed
 * @param etaSeconds estimated seconds left, or -1 when unknown
 */
public record DownloadProgress(String file, int fileIndex, int fileCount, long done, long total,
        double bytesPerSecond, long etaSeconds) {

    /** A one-line description such as "unet/model.onnx (3/9): 1.2 GB of 3.4 GB, 25.0 MB/s, 1 min 30 s left". */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(file).append(" (").append(fileIndex).append('/').append(fileCount).append("): ")
                .append(bytes(done));
        if (total >= 0) {
            out.append(" of ").append(bytes(total));
        }
        out.append(", ").append(bytes((long) bytesPerSecond)).append("/s");
        if (etaSeconds >= 0) {
            out.append(", ").append(duration(etaSeconds)).append(" left");
        }
        return out.toString();
    }

    /** The fraction done in [0, 1], or -1 when the total is unknown. */
    public double fraction() {
        return total > 0 ? Math.min(1.0, done / (double) total) : -1;
    }

    /** A human-readable byte count (decimal units, like download tools). */
    public static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** A human-readable duration such as "1 h 05 min" or "42 s". */
    public static String duration(long seconds) {
        if (seconds >= 3600) {
            return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, (seconds % 3600) / 60);
        }
        if (seconds >= 60) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return seconds + " s";
    }
}
