package org.ijgenai.core.diffusion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ijgenai.core.AtomicFiles;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.Offline;
import org.ijgenai.core.catalog.DownloadProgress;
import org.ijgenai.core.catalog.OnnxExternalData;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;

/**
 * The "Model hash" recorded with every generated image, in the style of A1111's short hash (the first 10 hex
 * digits of a SHA-256): here the SHA-256 of the UNet's {@code model.onnx} followed by its external weight files
 * ({@code weights.pb}, {@code model.onnx_data}, …) in the order {@code model.onnx} first names them. For a
 * single-file UNet that is {@code sha256sum unet/model.onnx | cut -c1-10}; with external weights,
 * {@code cat unet/model.onnx unet/weights.pb | sha256sum | cut -c1-10}. The weights are included because they are
 * what tells two fine-tunes apart: their {@code model.onnx} graphs are often byte-identical.
 *
 * <p>UNets are gigabytes, so each hash is computed once and kept, in memory and in a small file in ij-genai's cache
 * folder, under the path, size and modification time of every file hashed; changing any file hashes it again.
 * The first hash of a large UNet takes a while (about a second a gigabyte), so it reports its progress and can be
 * cancelled; a hash from the cache reports nothing.
 */
public final class ModelHash {

    /** How many hex digits of the SHA-256 the recorded hash keeps, as A1111's "Model hash" does. */
    public static final int DIGITS = 10;
    /** The parameter key of the short hash. */
    public static final String KEY = "model_hash";

    private static final class Shared {
        static final ModelHash INSTANCE = new ModelHash(Offline.cacheDir().resolve("model-hashes.tsv"));
    }

    /** The most hashes kept on disk; a file that changes is hashed anew under a new key, so old ones pile up. */
    private static final int MAX_KEPT = 500;
    /** Progress is reported in percent, once a percent: a 10 GB UNet would otherwise give 10,000 reports. */
    private static final int PERCENT = 100;

    private final Path cacheFile;
    private final Map<String, String> known = new LinkedHashMap<>();
    private boolean loaded;

    /** Hashes kept in {@code cacheFile} (a tab-separated list of SHA-256 and file key; null keeps none on disk). */
    public ModelHash(Path cacheFile) {
        this.cacheFile = cacheFile;
    }

    /** The hashes kept in ij-genai's cache folder ({@code $IJ_GENAI_CACHE/model-hashes.tsv}). */
    public static ModelHash shared() {
        return Shared.INSTANCE;
    }

    /** The files the hash covers, as absolute paths: {@code unetFile} and then its external data files, in the order it names them. */
    public static List<Path> hashedFiles(Path unetFile) {
        List<Path> files = new ArrayList<>();
        Path absolute = unetFile.toAbsolutePath().normalize();
        files.add(absolute);
        Path folder = absolute.getParent();
        for (String location : OnnxExternalData.locations(unetFile)) {
            files.add(folder.resolve(location.replace('\\', '/')).normalize());
        }
        return files;
    }

    /** The first {@link #DIGITS} hex digits of {@link #sha256(Path)}. */
    public String shortHash(Path unetFile) {
        return sha256(unetFile).substring(0, DIGITS);
    }

    /**
     * The SHA-256 (64 lower-case hex digits) of the UNet file and its external weights, from the cache when no file
     * changed since it was computed.
     *
     * @throws GenAiException naming the file that cannot be read
     */
    public String sha256(Path unetFile) {
        return sha256(unetFile, ProgressListener.NONE, CancellationToken.NONE);
    }

    /**
     * {@link #sha256(Path)}, reporting the progress of a hash that is not in the cache to {@code progress} in
     * percent of the bytes ("hashing unet/model.onnx_data (3.2 GB of 10.3 GB)"), once a percent and finally at
     * 100 %, and checking {@code cancel} as it reads; a cached hash reports nothing.
     *
     * @throws GenAiException naming the file that cannot be read
     * @throws org.ijgenai.core.progress.CancelledException when cancelled (nothing is cached then)
     */
    public synchronized String sha256(Path unetFile, ProgressListener progress, CancellationToken cancel) {
        List<Path> files = hashedFiles(unetFile);
        String key = key(files);
        load();
        String hash = known.get(key);
        if (hash == null) {
            hash = digest(files, progress, cancel);
            known.put(key, hash);
            save();
        }
        return hash;
    }

    /**
     * The warning to give when a picture's recorded parameters name a model hash other than the one in use, or null
     * when they agree or the picture records none.
     *
     * @param source the picture, as the message should name it
     * @param recorded its parameters ({@code model_hash} and, where known, {@code model})
     * @param model the model name in use
     * @param hash the short hash of the model in use
     */
    public static String replayWarning(String source, Map<String, String> recorded, String model, String hash) {
        String was = recorded.get(KEY);
        if (was == null || was.isBlank() || hash == null) {
            return null;
        }
        int digits = Math.min(was.length(), hash.length());
        if (was.substring(0, digits).equalsIgnoreCase(hash.substring(0, digits))) {
            return null;
        }
        String name = recorded.get("model");
        return source + " was made with " + (name == null || name.isBlank() ? "a model" : "'" + name + "'")
                + " of Model hash " + was + ", but '" + model + "' in use now has hash " + hash
                + ": the picture will not be reproduced exactly";
    }

    /**
     * {@link #replayWarning(String, Map, String, String)} for the model folder in use, hashed (once) here.
     *
     * @throws GenAiException when the UNet file cannot be read
     */
    public String replayWarning(String source, Map<String, String> recorded, ModelFolder inUse) {
        return replayWarning(source, recorded, inUse, ProgressListener.NONE, CancellationToken.NONE);
    }

    /**
     * {@link #replayWarning(String, Map, ModelFolder)}, reporting a first hash's progress to {@code progress} as
     * {@link #sha256(Path, ProgressListener, CancellationToken)} does.
     *
     * @throws GenAiException when the UNet file cannot be read
     * @throws org.ijgenai.core.progress.CancelledException when cancelled
     */
    public String replayWarning(String source, Map<String, String> recorded, ModelFolder inUse,
            ProgressListener progress, CancellationToken cancel) {
        if (recorded.get(KEY) == null || recorded.get(KEY).isBlank()) {
            return null;
        }
        String hash = sha256(inUse.unet(), progress, cancel).substring(0, DIGITS);
        return replayWarning(source, recorded, inUse.name(), hash);
    }

    private static String key(List<Path> files) {
        StringBuilder key = new StringBuilder();
        for (Path file : files) {
            try {
                key.append(key.length() > 0 ? "|" : "").append(file).append('*')
                        .append(Files.size(file)).append('*').append(Files.getLastModifiedTime(file).toMillis());
            } catch (IOException e) {
                throw GenAiException.io("reading the UNet file " + file + " to hash it", e);
            }
        }
        return key.toString();
    }

    private static String digest(List<Path> files, ProgressListener progress, CancellationToken cancel) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        long total = 0;
        for (Path file : files) {
            total += size(file);
        }
        byte[] buffer = new byte[1 << 20];
        long done = 0;
        int reported = 0;
        cancel.throwIfCancelled();
        progress.progress(0, PERCENT, message(files.get(0), 0, total));
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buffer)) > 0;) {
                    cancel.throwIfCancelled();
                    sha.update(buffer, 0, n);
                    done += n;
                    int percent = (int) Math.min(PERCENT, done * PERCENT / Math.max(1, total));
                    if (percent > reported) {
                        reported = percent;
                        progress.progress(percent, PERCENT, message(file, done, total));
                    }
                }
            } catch (IOException e) {
                throw GenAiException.io("reading the UNet file " + file + " to hash it", e);
            }
        }
        if (reported < PERCENT) {
            // Empty files, or files that shrank while being read: the hash is done all the same.
            progress.progress(PERCENT, PERCENT, message(files.get(files.size() - 1), done, total));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** "hashing unet/model.onnx_data (3.2 GB of 10.3 GB)": the file with its folder, as the model folder names it. */
    private static String message(Path file, long done, long total) {
        Path folder = file.getParent() == null ? null : file.getParent().getFileName();
        return "hashing " + (folder == null ? "" : folder + "/") + file.getFileName() + " ("
                + DownloadProgress.bytes(done) + " of " + DownloadProgress.bytes(total) + ")";
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw GenAiException.io("reading the UNet file " + file + " to hash it", e);
        }
    }

    private void load() {
        if (loaded) {
            return;
        }
        loaded = true;
        if (cacheFile == null || !Files.isRegularFile(cacheFile)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(cacheFile, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab == 64) {
                    known.putIfAbsent(line.substring(tab + 1), line.substring(0, tab));
                }
            }
        } catch (IOException e) {
            // A cache that cannot be read only costs a second hash.
        }
    }

    private void save() {
        if (cacheFile == null) {
            return;
        }
        // Another process may have added hashes since this one read the file: keep theirs too.
        loaded = false;
        load();
        List<Map.Entry<String, String>> entries = new ArrayList<>(known.entrySet());
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> e : entries.subList(Math.max(0, entries.size() - MAX_KEPT), entries.size())) {
            text.append(e.getValue()).append('\t').append(e.getKey()).append('\n');
        }
        try {
            AtomicFiles.writeString(cacheFile, text.toString());
        } catch (GenAiException e) {
            // Hashes that cannot be kept are computed again next time; the generation must not fail for it.
        }
    }
}
