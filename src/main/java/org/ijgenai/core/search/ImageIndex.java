package org.ijgenai.core.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.ijgenai.core.GenAiException;

/**
 * A read-only view of a persistent CLIP image index: a Lucene index whose documents hold an L2-normalised
 * embedding (HNSW graph, DOT_PRODUCT similarity) and the path, slice, size and modification time of the image.
 *
 * <p>Lucene scores a DOT_PRODUCT match as max((1 + u·v) / 2, 0); for unit vectors u·v is the cosine, so every
 * score is turned back with cosine = 2·score − 1 before it is shown.
 */
public final class ImageIndex implements AutoCloseable {

    static final String KEY = "key";
    static final String PATH = "path";
    static final String SLICE = "slice";
    static final String SIZE = "size";
    static final String MTIME = "mtime";
    static final String MODEL = "model";
    static final String EMBEDDING = "embedding";

    /** The HNSW beam width used at query time when the caller asks for fewer hits. */
    public static final int DEFAULT_SEARCH_BEAM = 100;

    private final Path dir;
    private final Directory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final IndexMetadata metadata;

    private ImageIndex(Path dir, Directory directory, DirectoryReader reader, IndexMetadata metadata) {
        this.dir = dir;
        this.directory = directory;
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
        this.metadata = metadata;
    }

    /**
     * Opens an index for searching.
     *
     * @throws GenAiException when the folder does not exist or holds no CLIP index
     */
    public static ImageIndex open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new GenAiException("No CLIP index at " + dir + " (folder not found); build one with 'clip index'"
                    + " or CLIP Index Images...");
        }
        Directory directory = null;
        try {
            directory = FSDirectory.open(dir);
            SegmentInfos infos = SegmentInfos.readLatestCommit(directory);
            IndexMetadata metadata = IndexMetadata.fromUserData(infos.getUserData(), dir.toString());
            DirectoryReader reader = DirectoryReader.open(directory);
            return new ImageIndex(dir, directory, reader, metadata);
        } catch (IndexNotFoundException e) {
            closeQuietly(directory);
            throw new GenAiException("No CLIP index in " + dir + "; build one with 'clip index' or CLIP Index"
                    + " Images...", e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(directory);
            if (e instanceof GenAiException g) {
                throw g;
            }
            throw new GenAiException("Cannot open the CLIP index in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Reads only the metadata of the index in {@code dir}, or null when there is no index there. */
    public static IndexMetadata readMetadata(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Directory directory = FSDirectory.open(dir)) {
            return IndexMetadata.fromUserData(SegmentInfos.readLatestCommit(directory).getUserData(),
                    dir.toString());
        } catch (IndexNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new GenAiException("Cannot read the CLIP index in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Closes {@code directory} (when not null) after a failure, which is the one to report. */
    static void closeQuietly(Directory directory) {
        if (directory != null) {
            try {
                directory.close();
            } catch (IOException ignored) {
                // The original failure is the one to report.
            }
        }
    }

    /** The index folder. */
    public Path directory() {
        return dir;
    }

    /** The model the index was built with. */
    public IndexMetadata metadata() {
        return metadata;
    }

    /** The number of images in the index. */
    public int size() {
        return reader.numDocs();
    }

    /**
     * The {@code k} nearest images to a query embedding by HNSW search, best first.
     *
     * @param query an embedding of the index's dimension; normalised here, so raw model output is fine
     * @param beam the HNSW candidate list size (≥ k; larger is slower and more exact)
     */
    public List<SearchHit> search(float[] query, int k, int beam) {
        float[] q = checkedQuery(query, k);
        try {
            int candidates = Math.max(k, beam);
            TopDocs top = searcher.search(new KnnFloatVectorQuery(EMBEDDING, q, candidates), candidates);
            StoredFields stored = searcher.storedFields();
            List<SearchHit> hits = new ArrayList<>();
            for (ScoreDoc sd : top.scoreDocs) {
                if (hits.size() == k) {
                    break;
                }
                hits.add(new SearchHit(hits.size() + 1, 2.0 * sd.score - 1.0, image(stored.document(sd.doc))));
            }
            return hits;
        } catch (IOException e) {
            throw new GenAiException("Search in the CLIP index " + dir + " failed: " + e.getMessage(), e);
        }
    }

    /** The {@code k} nearest images with the default beam. */
    public List<SearchHit> search(float[] query, int k) {
        return search(query, k, DEFAULT_SEARCH_BEAM);
    }

    /**
     * The exact {@code k} nearest images by a brute-force scan of every stored vector, best first; the
     * reference for measuring the recall of {@link #search}.
     */
    public List<SearchHit> exactSearch(float[] query, int k) {
        float[] q = checkedQuery(query, k);
        record Scored(double cosine, int doc) {
        }
        PriorityQueue<Scored> best = new PriorityQueue<>((a, b) -> Double.compare(a.cosine, b.cosine));
        try {
            for (LeafReaderContext leaf : reader.leaves()) {
                LeafReader lr = leaf.reader();
                FloatVectorValues values = lr.getFloatVectorValues(EMBEDDING);
                if (values == null) {
                    continue;
                }
                Bits live = lr.getLiveDocs();
                for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    double cosine = Vectors.dot(q, values.vectorValue());
                    if (best.size() < k) {
                        best.add(new Scored(cosine, leaf.docBase + doc));
                    } else if (cosine > best.peek().cosine) {
                        best.poll();
                        best.add(new Scored(cosine, leaf.docBase + doc));
                    }
                }
            }
            List<Scored> sorted = new ArrayList<>(best);
            sorted.sort((a, b) -> Double.compare(b.cosine, a.cosine));
            StoredFields stored = searcher.storedFields();
            List<SearchHit> hits = new ArrayList<>();
            for (Scored s : sorted) {
                hits.add(new SearchHit(hits.size() + 1, s.cosine, image(stored.document(s.doc))));
            }
            return hits;
        } catch (IOException e) {
            throw new GenAiException("Search in the CLIP index " + dir + " failed: " + e.getMessage(), e);
        }
    }

    private float[] checkedQuery(float[] query, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("the number of hits must be ≥ 1, was " + k);
        }
        if (query.length != metadata.dimension()) {
            throw new GenAiException("Query embedding has " + query.length + " values but index " + dir
                    + " holds " + metadata.dimension() + "-d embeddings of model " + metadata.modelId());
        }
        return Vectors.normalized(query.clone());
    }

    static IndexedImage image(Document doc) {
        return new IndexedImage(doc.get(PATH), doc.getField(SLICE).numericValue().intValue(),
                doc.getField(SIZE).numericValue().longValue(), doc.getField(MTIME).numericValue().longValue());
    }

    @Override
    public void close() {
        try {
            reader.close();
            directory.close();
        } catch (IOException e) {
            throw new GenAiException("Cannot close the CLIP index " + dir + ": " + e.getMessage(), e);
        }
    }
}
