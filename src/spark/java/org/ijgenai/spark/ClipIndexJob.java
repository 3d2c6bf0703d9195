package org.ijgenai.spark;

import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.image.RgbImage;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;
import org.ijgenai.core.search.ClipModel;
import org.ijgenai.core.search.ImageFileReader;
import org.ijgenai.core.search.ImageIndex;
import org.ijgenai.core.search.ImageIndexer;
import org.ijgenai.core.search.ImageSource;
import org.ijgenai.core.search.IndexMetadata;
import org.ijgenai.core.search.IndexedImage;
import org.ijgenai.core.search.IndexingReport;

/**
 * CLIP indexing as a Spark job: each task embeds its partition with the same {@link ImageIndexer} as
 * {@code clip index} into a Lucene shard of its own, and writes the embeddings to the {@code embeddings} table;
 * the driver then adds the shards to one index (Lucene's {@code addIndexes}, see {@link ShardMerge}) that
 * {@code clip search} and CLIP Search open as they open any index.
 */
public final class ClipIndexJob extends ImageJob {

    private static final long serialVersionUID = 1L;

    /** The job's name, as in {@code bin/ij-genai spark clip-index}. */
    static final String NAME = "clip-index";

    /** The embeddings table: the common columns, the L2-normalised embedding, and the shard that holds it. */
    static final ParquetTable EMBEDDINGS = new ParquetTable("embeddings", JobRunner.concat(JobRunner.COMMON,
            List.of(new ParquetTable.Column("embedding", ParquetTable.Kind.FLOATS),
                    new ParquetTable.Column("shard", ParquetTable.Kind.STRING))));

    private final String indexDir;
    private final String driverModelPath;
    private final int dimension;
    private final int batchSize;
    private final int mergeSegments;
    private transient String note;

    /**
     * Reads the model's identity on the driver.
     *
     * @param modelDir the model folder, at the same path on every executor (shared file system, or shipped with
     *     {@code --archives})
     * @param indexDir the local folder of the merged index on the driver
     * @param mergeSegments merge the index down to this many segments after adding the shards; 0 keeps them
     */
    ClipIndexJob(String modelDir, String indexDir, int batchSize, int threadsPerTask, int mergeSegments,
            long maxBytes, long maxPixels) {
        super(NAME, EMBEDDINGS, modelDir, threadsPerTask, maxBytes, maxPixels);
        if (batchSize < 1 || mergeSegments < 0) {
            throw new IllegalArgumentException("--batch must be ≥ 1 and --merge-segments ≥ 0, were " + batchSize
                    + " and " + mergeSegments);
        }
        try (ClipModel model = ClipModel.open(Paths.get(modelDir), SessionSettings.DEFAULT)) {
            identify(model.directory().toAbsolutePath().normalize().getFileName().toString(), model.id());
            this.dimension = model.dimension();
            this.driverModelPath = model.directory().toAbsolutePath().toString();
        }
        this.indexDir = indexDir;
        this.batchSize = batchSize;
        this.mergeSegments = mergeSegments;
        IndexMetadata existing = ImageIndex.readMetadata(Paths.get(indexDir));
        if (existing != null) {
            existing.requireCompatible(modelHash(), dimension, modelDir, indexDir);
        }
    }

    /** spark-submit entry point: the arguments of {@code bin/ij-genai spark clip-index}. */
    public static void main(String[] args) {
        SparkCli.main(SparkCli.withJob(NAME, args));
    }

    /** The metadata of the merged index: the driver's view of the model, as {@code clip index} writes it. */
    IndexMetadata metadata() {
        return new IndexMetadata(modelHash(), driverModelPath, dimension);
    }

    @Override
    Outcome process(List<InputImage> images, Context context) throws IOException {
        Outcome outcome = Outcome.empty();
        try (ExecutorModels.Lease<ClipModel> lease = borrowModel(settings -> ClipModel.open(Paths.get(modelPath()),
                settings))) {
            ClipModel model = lease.get();
            if (!model.id().equals(modelHash())) {
                throw new GenAiException("The model at " + modelPath() + " on this executor (" + model.id()
                        + ") is not the driver's (" + modelHash() + "); ship the same model folder to every node");
            }
            List<ImageSource> sources = new ArrayList<>();
            java.util.Map<String, InputImage> byKey = new java.util.HashMap<>();
            for (InputImage image : images) {
                byKey.put(image.key(), image);
                sources.add(source(image, context));
            }
            java.nio.file.Path shard = context.scratch().resolve("shard");
            IndexingReport report = new ImageIndexer(model, new ImageIndexer.Settings(batchSize, 1))
                    .index(sources, shard, old -> false, List.of(), ProgressListener.NONE, CancellationToken.NONE);
            for (IndexingReport.SkippedImage s : report.skipped()) {
                outcome.errors().put(byKey.get(s.path()), s.reason());
            }
            if (report.embedded() > 0) {
                String shardName = context.part();
                try (ImageIndex index = ImageIndex.open(shard)) {
                    index.forEachEntry((entry, embedding) -> outcome.results().put(byKey.get(entry.key()),
                            new Object[] {embedding, shardName}));
                }
                Path temp = context.temp("shard");
                context.fs().delete(temp, true);
                context.fs().copyFromLocalFile(false, true, new Path(shard.toUri()), temp);
                JobOutput.firstWins(context.fs(), temp, new Path(context.output().shards(), shardName));
            }
        }
        return outcome;
    }

    /** An image of the partition as the indexer's source, read through {@link #localImage}. */
    private ImageSource source(InputImage image, Context context) {
        IndexedImage entry = new IndexedImage(image.key(), 0, image.size(), image.modifiedMillis());
        return new ImageSource() {
            @Override
            public IndexedImage entry() {
                return entry;
            }

            @Override
            public RgbImage load() {
                java.nio.file.Path local;
                try {
                    local = localImage(image, context);
                } catch (IOException e) {
                    throw new GenAiException(e.getMessage(), e);
                }
                return ImageFileReader.read(local);
            }
        };
    }

    @Override
    void finish(SparkSession spark, JobOutput output, JobSummary summary) {
        ShardMerge.Result merged = ShardMerge.merge(spark, output, Paths.get(indexDir), metadata(), mergeSegments);
        note = String.format(Locale.ROOT, "index %s: %d image(s); %d shard(s) added in %.1f s, %d orphan shard(s)"
                + " of killed runs dropped", indexDir, merged.images(), merged.shards(), merged.seconds(),
                merged.orphans());
    }

    @Override
    String finishNote() {
        return note;
    }
}
