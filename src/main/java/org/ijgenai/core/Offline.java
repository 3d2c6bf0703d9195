package org.ijgenai.core;

import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Process-wide settings that keep DJL offline and its native cache in a documented place; every entry point calls
 * {@link #ensure()} before any DJL class is loaded.
 */
public final class Offline {

    /** Environment variable and system property that relocate all of ij-genai's caches. */
    public static final String CACHE_ENV = "IJ_GENAI_CACHE";

    private static volatile boolean done;

    private Offline() {}

    /**
     * Disables DJL's telemetry and EC2 metadata probe, and points DJL's caches at {@link #cacheDir()}.
     * Idempotent and cheap; it must run before the first DJL class initialises, because DJL reads these
     * properties in static initialisers.
     */
    public static synchronized void ensure() {
        if (done) {
            return;
        }
        // DJL's Engine and telemetry check "offline" before any network call; OPT_OUT_TRACKING is the same switch
        // for code paths that only look at the property form.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("ai.djl.disable_telemetry", "true");
        Path cache = cacheDir();
        setIfAbsent("DJL_CACHE_DIR", cache.resolve("djl").toString());
        setIfAbsent("ENGINE_CACHE_DIR", cache.resolve("engines").toString());
        done = true;
    }

    /**
     * The root of ij-genai's caches: {@code $IJ_GENAI_CACHE} (property or environment), else
     * {@code ~/.cache/ij-genai}.
     */
    public static Path cacheDir() {
        String configured = System.getProperty(CACHE_ENV);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(CACHE_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured);
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "ij-genai");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
