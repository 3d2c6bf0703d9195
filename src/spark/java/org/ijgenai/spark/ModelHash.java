package org.ijgenai.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.ijgenai.core.GenAiException;

/**
 * The fingerprint of a segmentation or style model: SHA-256 over the relative names and contents of its files,
 * so that a changed model, and only that, makes every image "not done" again.
 */
final class ModelHash {

    private ModelHash() {}

    /** The first 16 hex digits of the hash of a model file or folder. */
    static String of(Path model) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            Path root = Files.isDirectory(model) ? model : model.getParent();
            List<Path> files;
            if (Files.isDirectory(model)) {
                try (Stream<Path> walk = Files.walk(model)) {
                    files = walk.filter(Files::isRegularFile)
                            .filter(p -> !root.relativize(p).toString().startsWith("downloads"))
                            .sorted().collect(Collectors.toList());
                }
            } else {
                files = List.of(model);
            }
            byte[] buffer = new byte[1 << 16];
            for (Path file : files) {
                digest.update(root.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
                try (InputStream in = Files.newInputStream(file)) {
                    for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new GenAiException("Cannot read the model " + model + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
