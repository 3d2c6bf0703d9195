package org.ijgenai.core.catalog;

/** Receives download progress: bytes so far, total, speed and estimated time left. */
@FunctionalInterface
public interface DownloadListener {

    /** A listener that ignores every report. */
    DownloadListener NONE = progress -> { };

    /** Called a few times a second while bytes arrive, and once when a file is complete. */
    void progress(DownloadProgress progress);
}
