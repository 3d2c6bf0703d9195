package org.ijgenai.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.search.ImageIndex;
import org.ijgenai.core.search.ImageIndexWriter;
import org.ijgenai.core.search.IndexMetadata;

/**
 * Adds the CLIP job's shards to the one index on the driver. A shard counts only once the {@code embeddings}
 * table names it (its partition committed); shards of partitions that never committed (a killed run) are deleted,
 * since a rerun embedded their images again. Shards are added run by run, oldest first, each run's in one
 * {@code addIndexes} call that replaces entries with the same path, and are deleted after the index commit; a
 * crash between the commit and the deletes only makes the next run add the same shards again, which changes
 * nothing.
 */
final class ShardMerge {

    private ShardMerge() {}

    /** What a merge did. */
    record Result(int shards, int orphans, int images, double seconds) {
    }

    static Result merge(SparkSession spark, JobOutput output, java.nio.file.Path indexDir, IndexMetadata metadata,
            int mergeSegments) {
        long start = System.nanoTime();
        try {
            FileSystem fs = output.prefix().getFileSystem(spark.sparkContext().hadoopConfiguration());
            List<FileStatus> shardDirs = new ArrayList<>();
            if (fs.exists(output.shards())) {
                for (FileStatus s : fs.listStatus(output.shards())) {
                    String name = s.getPath().getName();
                    if (s.isDirectory() && !name.startsWith(".") && !name.startsWith("_")) {
                        shardDirs.add(s);
                    }
                }
            }
            if (shardDirs.isEmpty() && Files.isDirectory(indexDir)) {
                // Nothing new (an incremental rerun that found everything done): no Spark query, no writer.
                try (ImageIndex index = ImageIndex.open(indexDir)) {
                    return new Result(0, 0, index.size(), (System.nanoTime() - start) / 1e9);
                }
            }
            Set<String> committed = new HashSet<>();
            Path table = output.table(ClipIndexJob.EMBEDDINGS.name());
            if (!ParquetTable.files(fs, table).isEmpty()) {
                for (Row r : spark.read().parquet(table.toString()).select(col("shard")).distinct()
                        .collectAsList()) {
                    committed.add(r.getString(0));
                }
            }
            Map<String, List<Path>> byRun = new TreeMap<>();
            int orphans = 0;
            for (FileStatus s : shardDirs) {
                String name = s.getPath().getName();
                if (committed.contains(name)) {
                    byRun.computeIfAbsent(name.substring(0, name.lastIndexOf('-')), k -> new ArrayList<>())
                            .add(s.getPath());
                } else {
                    fs.delete(s.getPath(), true);
                    orphans++;
                }
            }
            int shards = 0;
            java.nio.file.Path downloads = Files.createTempDirectory("ij-genai-shards-");
            try {
                try (ImageIndexWriter writer = ImageIndexWriter.open(indexDir, metadata)) {
                    for (List<Path> run : byRun.values()) {
                        List<java.nio.file.Path> local = new ArrayList<>();
                        for (Path shard : run) {
                            local.add(localCopy(fs, shard, downloads));
                        }
                        writer.addShards(local);
                        shards += run.size();
                    }
                    if (mergeSegments > 0) {
                        writer.forceMerge(mergeSegments);
                    }
                    writer.commit();
                }
            } finally {
                JobRunner.deleteRecursively(downloads);
            }
            for (List<Path> run : byRun.values()) {
                for (Path shard : run) {
                    fs.delete(shard, true);
                }
            }
            int images;
            try (ImageIndex index = ImageIndex.open(indexDir)) {
                images = index.size();
            }
            return new Result(shards, orphans, images, (System.nanoTime() - start) / 1e9);
        } catch (IOException e) {
            throw new GenAiException("Cannot merge the shards under " + output.shards() + " into " + indexDir + ": "
                    + e.getMessage(), e);
        }
    }

    /** The shard as a local folder: itself when it is on the local file system, else a download. */
    private static java.nio.file.Path localCopy(FileSystem fs, Path shard, java.nio.file.Path downloads)
            throws IOException {
        Path qualified = fs.makeQualified(shard);
        if ("file".equals(qualified.toUri().getScheme())) {
            return java.nio.file.Paths.get(qualified.toUri());
        }
        java.nio.file.Path local = downloads.resolve(shard.getName());
        fs.copyToLocalFile(false, shard, new Path(local.toUri()), true);
        return local;
    }
}
