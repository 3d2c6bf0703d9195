package org.ijgenai.core.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Optional;

/**
 * An access token for gated Hugging Face repositories. It is read from {@code $HF_TOKEN} (or the older
 * {@code $HUGGING_FACE_HUB_TOKEN}), else from {@code $HF_HOME/token} or {@code ~/.cache/huggingface/token}, and is
 * never printed: {@link #toString()} hides it.
 */
public final class HubToken {

    private final String value;
    private final String origin;

    private HubToken(String value, String origin) {
        this.value = value;
        this.origin = origin;
    }

    /** A token with the given value, e.g. for tests. */
    public static HubToken of(String value, String origin) {
        return new HubToken(value.trim(), origin);
    }

    /** Looks for a token in the process environment and the user's Hugging Face folder. */
    public static Optional<HubToken> find() {
        return find(System.getenv(), Paths.get(System.getProperty("user.home")));
    }

    /** Looks for a token in {@code env} and below {@code home}. */
    public static Optional<HubToken> find(Map<String, String> env, Path home) {
        for (String name : new String[] {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(new HubToken(value.trim(), "$" + name));
            }
        }
        String hfHome = env.get("HF_HOME");
        Path file = hfHome != null && !hfHome.isBlank() ? Paths.get(hfHome).resolve("token")
                : home.resolve(".cache").resolve("huggingface").resolve("token");
        if (Files.isRegularFile(file)) {
            try {
                String value = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!value.isEmpty()) {
                    return Optional.of(new HubToken(value, file.toString()));
                }
            } catch (IOException e) {
                // An unreadable token file is the same as none; a gated download then says a token is needed.
            }
        }
        return Optional.empty();
    }

    /** The value of an HTTP Authorization header carrying the token. */
    String authorization() {
        return "Bearer " + value;
    }

    /** Where the token was found (an environment variable name or a file path), never the token itself. */
    public String origin() {
        return origin;
    }

    /** A description that hides the token. */
    @Override
    public String toString() {
        return "HubToken[from " + origin + ", value hidden]";
    }
}
