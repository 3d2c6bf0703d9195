package org.ijgenai.core.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.ijgenai.core.GenAiException;

/**
 * The single writer of a CLIP image index. It holds Lucene's {@code write.lock} from open to close, so a second
 * indexing run into the same folder, in this process or another, is refused instead of corrupting it; every
 * {@link #commit()} is atomic, so a crash or cancel leaves the index as of the last commit.
 */
public final class ImageIndexWriter implements AutoCloseable {

    private final Path dir;
    private final Directory directory;
    private final IndexWriter writer;
    private final IndexMetadata metadata;
    private final Map<String, IndexedImage> entries;

    private ImageIndexWriter(Path dir, Directory directory, IndexWriter writer, IndexMetadata metadata,
            Map<String, IndexedImage> entries) {
        this.dir = dir;
        this.directory = directory;
        this.writer = writer;
        this.metadata = metadata;
        this.entries = entries;
    }

    /**
     * Opens (creating if needed) the index in {@code dir} for a model.
     *
     * @throws GenAiException when another run holds the index, when the index belongs to another model, or when
     *     the folder holds other files and no index
     */
    public static ImageIndexWriter open(Path dir, IndexMetadata metadata) {
        return open(dir, metadata, DEFAULT_RAM_BUFFER_MB);
    }

    /** Lucene's in-memory buffer before it writes a segment; larger means fewer HNSW graph merges. */
    public static final double DEFAULT_RAM_BUFFER_MB = 64;

    /**
     * Opens the index with a given in-memory buffer (bulk loads of many vectors are faster with a larger one,
     * because each flushed segment builds its own HNSW graph and merging rebuilds them).
     */
    public static ImageIndexWriter open(Path dir, IndexMetadata metadata, double ramBufferMb) {
        Directory directory = null;
        IndexWriter writer = null;
        try {
            Files.createDirectories(dir);
            directory = FSDirectory.open(dir);
            boolean exists = DirectoryReader.indexExists(directory);
            if (!exists && hasOtherFiles(dir)) {
                throw new GenAiException("Index folder " + dir + " is not empty and holds no CLIP index; choose an"
                        + " empty or new folder (the index is never written into an image folder)");
            }
            IndexWriterConfig config = new IndexWriterConfig();
            config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            config.setCommitOnClose(false);
            config.setRAMBufferSizeMB(ramBufferMb);
            writer = new IndexWriter(directory, config);
            if (exists) {
                IndexMetadata existing = IndexMetadata.fromUserData(
                        SegmentInfos.readLatestCommit(directory).getUserData(), dir.toString());
                existing.requireCompatible(metadata.modelId(), metadata.dimension(),
                        metadata.modelPath() == null ? "this model" : metadata.modelPath(), dir.toString());
            }
            writer.setLiveCommitData(metadata.toUserData().entrySet());
            Map<String, IndexedImage> entries = exists ? readEntries(writer) : new HashMap<>();
            return new ImageIndexWriter(dir, directory, writer, metadata, entries);
        } catch (LockObtainFailedException e) {
            closeQuietly(writer, directory);
            throw new GenAiException("Index " + dir + " is being written by another indexing run (Lucene's"
                    + " write.lock is held); wait for that run to finish, or index into another folder", e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(writer, directory);
            if (e instanceof GenAiException g) {
                throw g;
            }
            throw new GenAiException("Cannot open the CLIP index " + dir + " for writing: " + e.getMessage(), e);
        }
    }

    private static boolean hasOtherFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> !p.getFileName().toString().equals("write.lock"));
        }
    }

    private static Map<String, IndexedImage> readEntries(IndexWriter writer) throws IOException {
        Map<String, IndexedImage> out = new HashMap<>();
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                Bits live = leaf.reader().getLiveDocs();
                StoredFields stored = leaf.reader().storedFields();
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    if (live == null || live.get(doc)) {
                        IndexedImage image = ImageIndex.image(stored.document(doc));
                        out.put(image.key(), image);
                    }
                }
            }
        }
        return out;
    }

    private static void closeQuietly(IndexWriter writer, Directory directory) {
        try {
            if (writer != null) {
                writer.rollback();
            }
        } catch (IOException | RuntimeException ignored) {
            // Reporting the original failure matters more.
        }
        ImageIndex.closeQuietly(directory);
    }

    /** The index folder. */
    public Path directory() {
        return dir;
    }

    /** The metadata written with every commit. */
    public IndexMetadata metadata() {
        return metadata;
    }

    /** The images in the index (including this session's uncommitted changes), keyed by {@link IndexedImage#key()}. */
    public Map<String, IndexedImage> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /** Adds an image or replaces the entry with the same key. */
    public void put(IndexedImage image, float[] embedding) {
        if (embedding.length != metadata.dimension()) {
            throw new IllegalArgumentException("embedding has " + embedding.length + " values, the index holds "
                    + metadata.dimension());
        }
        Document doc = new Document();
        doc.add(new StringField(ImageIndex.KEY, image.key(), Field.Store.NO));
        doc.add(new StoredField(ImageIndex.PATH, image.path()));
        doc.add(new StoredField(ImageIndex.SLICE, image.slice()));
        doc.add(new StoredField(ImageIndex.SIZE, image.size()));
        doc.add(new StoredField(ImageIndex.MTIME, image.modifiedMillis()));
        doc.add(new StringField(ImageIndex.MODEL, metadata.modelId(), Field.Store.YES));
        doc.add(new KnnFloatVectorField(ImageIndex.EMBEDDING, Vectors.normalized(embedding.clone()),
                VectorSimilarityFunction.DOT_PRODUCT));
        try {
            writer.updateDocument(new Term(ImageIndex.KEY, image.key()), doc);
        } catch (IOException e) {
            throw new GenAiException("Cannot write to the CLIP index " + dir + ": " + e.getMessage(), e);
        }
        entries.put(image.key(), image);
    }

    /** Removes the entry with this key, if any. */
    public void remove(String key) {
        try {
            writer.deleteDocuments(new Term(ImageIndex.KEY, key));
        } catch (IOException e) {
            throw new GenAiException("Cannot write to the CLIP index " + dir + ": " + e.getMessage(), e);
        }
        entries.remove(key);
    }

    /** Makes every change so far durable in one atomic step. */
    public void commit() {
        try {
            writer.setLiveCommitData(metadata.toUserData().entrySet());
            writer.commit();
        } catch (IOException e) {
            throw new GenAiException("Cannot commit the CLIP index " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Commits and releases the lock. */
    @Override
    public void close() {
        try {
            commit();
            writer.close();
        } catch (IOException e) {
            throw new GenAiException("Cannot close the CLIP index " + dir + ": " + e.getMessage(), e);
        } finally {
            closeQuietly(null, directory);
        }
    }
}
