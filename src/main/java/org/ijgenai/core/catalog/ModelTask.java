package org.ijgenai.core.catalog;

import java.util.Locale;

/** What a model does, and which ij-genai commands can use it. */
public enum ModelTask {

    /** Stable Diffusion-style latent diffusion in the diffusers ONNX layout. */
    TEXT_TO_IMAGE("text-to-image", "txt2img and img2img commands, Prompt Studio; CLI txt2img, img2img, tokenize"),
    /** A CLIP image and text encoder pair. */
    CLIP("clip", "CLIP › Index Images…, Search…, Label Slices…; CLI clip index|search|label"),
    /** A segmentation CNN with its descriptor. */
    SEGMENTATION("segmentation", "Segment (CNN)…, Remove Background…; CLI segment"),
    /** An image-to-image generator (GAN or fast neural style) with its descriptor. */
    STYLE("style", "Style Transfer (GAN)…; CLI style"),
    /** An unconditional GAN generator, noise vector z to picture, with its descriptor. */
    GAN("gan", "GAN Latent Walk…; CLI gan-walk"),
    /** Anything else, such as a bare ONNX file without a descriptor. */
    OTHER("other", "no command until it has a descriptor (see docs/models.md)");

    private final String id;
    private final String usedBy;

    ModelTask(String id, String usedBy) {
        this.id = id;
        this.usedBy = usedBy;
    }

    /** The identifier used in catalogues, manifests and descriptors, e.g. {@code text-to-image}. */
    public String id() {
        return id;
    }

    /** The commands that can use a model of this task, for people. */
    public String usedBy() {
        return usedBy;
    }

    /** The task with identifier {@code id} (case-insensitive), or null when there is none. */
    public static ModelTask fromId(String id) {
        if (id == null) {
            return null;
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (ModelTask task : values()) {
            if (task.id.equals(wanted)) {
                return task;
            }
        }
        return null;
    }
}
