package org.ijgenai.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.ijgenai.core.GenAiException;

/**
 * A numpy {@code .npz} archive (from {@code numpy.savez} or {@code savez_compressed}): a zip of {@code .npy}
 * files whose arrays are read on demand by key (the entry name without {@code .npy}).
 */
public final class NpzArchive implements AutoCloseable {

    private final Path file;
    private final ZipFile zip;
    private final List<String> keys;

    private NpzArchive(Path file, ZipFile zip) {
        this.file = file;
        this.zip = zip;
        List<String> names = new ArrayList<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            ZipEntry entry = entries.nextElement();
            if (!entry.isDirectory()) {
                String name = entry.getName();
                names.add(name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name);
            }
        }
        this.keys = Collections.unmodifiableList(names);
    }

    /**
     * Opens an archive; close it when done.
     *
     * @throws GenAiException when the file is missing or is not a zip archive
     */
    public static NpzArchive open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new GenAiException(file + " does not exist", new NoSuchFileException(file.toString()));
        }
        try {
            return new NpzArchive(file, new ZipFile(file.toFile()));
        } catch (ZipException e) {
            throw new GenAiException(file + " is not a .npz (zip) archive: " + e.getMessage(), e);
        }
    }

    /** The keys of the arrays, in archive order. */
    public List<String> keys() {
        return keys;
    }

    /** Whether the archive holds an array with this key. */
    public boolean contains(String key) {
        return entry(key) != null;
    }

    /**
     * Reads the array stored under a key.
     *
     * @throws GenAiException when there is no such key (the message lists the keys) or the entry is malformed
     */
    public NpyArray get(String key) throws IOException {
        ZipEntry entry = entry(key);
        if (entry == null) {
            throw new GenAiException(file + " has no array '" + key + "'; it holds " + keys);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return Npy.read(in, file + "[" + key + "]");
        }
    }

    private ZipEntry entry(String key) {
        ZipEntry entry = zip.getEntry(key + ".npy");
        return entry != null ? entry : zip.getEntry(key);
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
