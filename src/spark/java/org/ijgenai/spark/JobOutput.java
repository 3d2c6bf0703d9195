package org.ijgenai.spark;

import java.io.IOException;
import java.io.Serializable;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The layout of a job's output prefix and its one way of making files visible: write under {@code _tmp/}, then
 * rename into place. A rename within one file system is atomic on HDFS and on local disks, so a killed task or
 * driver leaves at most garbage under {@code _tmp/}, never a half-written table file, shard or image.
 *
 * <pre>
 *   PREFIX/&lt;table&gt;/part-RUN-PARTITION.parquet   one file per finished partition (e.g. embeddings/)
 *   PREFIX/errors/part-RUN-PARTITION.parquet    the images that failed, with the reason
 *   PREFIX/shards/RUN-PARTITION/                a CLIP job's Lucene shard, until merged into the index
 *   PREFIX/_tmp/                                 work in progress (ignored by readers, cleared by reruns)
 * </pre>
 */
final class JobOutput implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String prefix;

    JobOutput(String prefix) {
        this.prefix = prefix.replaceFirst("/+$", "");
    }

    Path prefix() {
        return new Path(prefix);
    }

    Path table(String name) {
        return new Path(prefix, name);
    }

    Path tableFile(String table, String part) {
        return new Path(table(table), "part-" + part + ".parquet");
    }

    Path shards() {
        return new Path(prefix, "shards");
    }

    Path tempRoot() {
        return new Path(prefix, "_tmp");
    }

    Path temp(String name) {
        return new Path(tempRoot(), name);
    }

    /** An output file of one image, {@code PREFIX/<kind>/<relative input path><suffix>}. */
    Path imageOutput(String kind, InputImage image, String suffix) {
        return new Path(new Path(prefix, kind), image.relativeName() + suffix);
    }

    /**
     * Moves a finished file into place, replacing an older copy (outputs are deterministic, so a retried task
     * writes the same bytes).
     */
    static void replace(FileSystem fs, Path temp, Path target) throws IOException {
        fs.mkdirs(target.getParent());
        if (fs.exists(target)) {
            fs.delete(target, true);
        }
        if (!fs.rename(temp, target)) {
            throw new IOException("cannot rename " + temp + " to " + target);
        }
    }

    /**
     * Moves a finished folder into place unless an earlier attempt already did (then this copy is dropped).
     *
     * @return whether this copy was kept
     */
    static boolean firstWins(FileSystem fs, Path temp, Path target) throws IOException {
        fs.mkdirs(target.getParent());
        if (fs.exists(target)) {
            fs.delete(temp, true);
            return false;
        }
        if (!fs.rename(temp, target)) {
            throw new IOException("cannot rename " + temp + " to " + target);
        }
        return true;
    }
}
