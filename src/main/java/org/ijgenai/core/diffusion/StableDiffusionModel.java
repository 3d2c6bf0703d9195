package org.ijgenai.core.diffusion;

import org.ijgenai.core.Closeables;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.diffusion.network.TextEncoder;
import org.ijgenai.core.diffusion.network.Unet;
import org.ijgenai.core.diffusion.network.VaeDecoder;
import org.ijgenai.core.diffusion.network.VaeEncoder;
import org.ijgenai.core.text.ClipTokenizer;

/**
 * An opened Stable Diffusion model: its validated folder and its four networks, each loaded on first use and kept
 * until {@link #close()}, so repeated generations do not reload the UNet.
 */
public final class StableDiffusionModel implements AutoCloseable {

    private final ModelFolder folder;
    private final SessionSettings settings;
    private TextEncoder textEncoder;
    private TextEncoder textEncoder2;
    private ClipTokenizer tokenizer2;
    private Unet unet;
    private VaeDecoder vaeDecoder;
    private VaeEncoder vaeEncoder;
    private LatentPreview preview;
    private ClipTokenizer tokenizer;
    private boolean closed;
    private long memoryLimit = Long.MAX_VALUE;

    /** Opens a model; networks load lazily with {@code settings}. */
    public StableDiffusionModel(ModelFolder folder, SessionSettings settings) {
        this.folder = folder;
        this.settings = settings;
    }

    /** Opens and validates the folder at {@code root}. */
    public static StableDiffusionModel open(java.nio.file.Path root, SessionSettings settings) {
        return new StableDiffusionModel(ModelFolder.open(root), settings);
    }

    /** The model's folder and configuration facts. */
    public ModelFolder folder() {
        return folder;
    }

    /**
     * Limits the weights of the networks loaded at once to {@code bytes} (the model cache's budget when the user set
     * one): the text encoders make way for the UNet, and a network larger than the limit by itself is refused with
     * the numbers.
     */
    public synchronized void limitMemory(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("memory limit must be positive, was " + bytes);
        }
        memoryLimit = bytes;
    }

    /** The bytes of weight files of the networks loaded now. */
    public synchronized long loadedBytes() {
        long total = 0;
        Object[] networks = {textEncoder, textEncoder2, unet, vaeDecoder, vaeEncoder};
        java.nio.file.Path[] files = {folder.textEncoder(), folder.textEncoder2(), folder.unet(), folder.vaeDecoder(),
            folder.vaeEncoder()};
        for (int i = 0; i < networks.length; i++) {
            if (networks[i] != null) {
                total += HostMemory.folderBytes(files[i]);
            }
        }
        return total;
    }

    /** Whether either text encoder is loaded now. */
    public synchronized boolean textEncodersLoaded() {
        return textEncoder != null || textEncoder2 != null;
    }

    /**
     * Releases the text encoders after encoding when they and the UNet would not fit together: in the memory
     * limit, or (before the UNet's first load, on a CPU) in the memory free now.
     */
    public synchronized void releaseTextEncodersIfShort() {
        if (!textEncodersLoaded()) {
            return;
        }
        long unetBytes = unet == null ? HostMemory.folderBytes(folder.unet()) : 0;
        boolean overLimit = loadedBytes() + unetBytes > memoryLimit;
        boolean shortNow = unet == null && settings.cudaDevice() < 0 && HostMemory.now().isShortFor(unetBytes);
        if (overLimit || shortNow) {
            releaseTextEncoders();
        }
    }

    /** Refuses a network whose weight files alone exceed the memory limit, with both sizes. */
    private void checkLimit(java.nio.file.Path onnxFile) {
        long bytes = HostMemory.folderBytes(onnxFile);
        if (bytes > memoryLimit) {
            throw new org.ijgenai.core.GenAiException(String.format(java.util.Locale.ROOT, "%s needs about %.1f MiB for"
                    + " its weights alone, more than the memory budget of %.1f MiB (ijgenai.cache.mib, or Plugins ›"
                    + " Generative AI › Unload Models): raise the budget, use a smaller (fp16) export, or a GPU",
                    onnxFile, bytes / 1048576.0, memoryLimit / 1048576.0));
        }
    }

    /** The ONNX Runtime settings its networks load with. */
    public SessionSettings settings() {
        return settings;
    }

    /** The model's CLIP tokenizer, read on first use. */
    public synchronized ClipTokenizer tokenizer() {
        checkOpen();
        if (tokenizer == null) {
            tokenizer = ClipTokenizer.fromDirectory(folder.tokenizer());
        }
        return tokenizer;
    }

    /**
     * SDXL's second tokenizer (OpenCLIP's, padding with {@code !}), read on first use from {@code tokenizer_2/}.
     *
     * @throws org.ijgenai.core.GenAiException when the model is not SDXL
     */
    public synchronized ClipTokenizer tokenizer2() {
        checkOpen();
        requireXl("tokenizer_2");
        if (tokenizer2 == null) {
            tokenizer2 = ClipTokenizer.fromDirectory(folder.tokenizer2());
        }
        return tokenizer2;
    }

    /**
     * SDXL's second text encoder ({@code text_encoder_2/model.onnx}), loaded on first use.
     *
     * @throws org.ijgenai.core.GenAiException when the model is not SDXL
     */
    public synchronized TextEncoder textEncoder2() {
        checkOpen();
        requireXl("text_encoder_2/model.onnx");
        if (textEncoder2 == null) {
            checkLimit(folder.textEncoder2());
            textEncoder2 = TextEncoder.load(folder.textEncoder2(), settings);
        }
        return textEncoder2;
    }

    /**
     * Releases the text encoders, which a run needs only before its first step, so a large UNet has their memory;
     * they load again on the next use.
     */
    public synchronized void releaseTextEncoders() {
        AutoCloseable[] encoders = {textEncoder, textEncoder2};
        textEncoder = null;
        textEncoder2 = null;
        Closeables.closeAll(encoders);
    }

    private void requireXl(String part) {
        if (!folder.isXl()) {
            throw new org.ijgenai.core.GenAiException(folder.root() + " is not an SDXL model: it has no " + part);
        }
    }

    /** The text encoder, loaded on first use. */
    public synchronized TextEncoder textEncoder() {
        checkOpen();
        if (textEncoder == null) {
            checkLimit(folder.textEncoder());
            textEncoder = TextEncoder.load(folder.textEncoder(), settings);
        }
        return textEncoder;
    }

    /** The UNet, loaded on first use. */
    public synchronized Unet unet() {
        checkOpen();
        if (unet == null) {
            checkLimit(folder.unet());
            boolean lowMemory = false;
            if (settings.cudaDevice() < 0) {
                HostMemory host = HostMemory.now();
                long bytes = HostMemory.folderBytes(folder.unet());
                host.checkFits(folder.unet(), bytes);
                lowMemory = host.isShortForPrepackedUnet(bytes);
            }
            unet = Unet.load(folder.unet(), settings, lowMemory);
        }
        return unet;
    }

    /** Whether the UNet is loaded now. */
    public synchronized boolean unetLoaded() {
        return unet != null;
    }

    /** The VAE decoder, loaded on first use. */
    public synchronized VaeDecoder vaeDecoder() {
        checkOpen();
        if (vaeDecoder == null) {
            checkLimit(folder.vaeDecoder());
            vaeDecoder = VaeDecoder.load(folder.vaeDecoder(), settings);
        }
        return vaeDecoder;
    }

    /**
     * The VAE encoder, loaded on first use.
     *
     * @throws org.ijgenai.core.GenAiException when the folder has no {@code vae_encoder/model.onnx}
     */
    public synchronized VaeEncoder vaeEncoder() {
        checkOpen();
        if (!folder.hasVaeEncoder()) {
            throw new org.ijgenai.core.GenAiException("Stable Diffusion model " + folder.root()
                    + " has no vae_encoder/model.onnx, so it cannot do image-to-image");
        }
        if (vaeEncoder == null) {
            checkLimit(folder.vaeEncoder());
            vaeEncoder = VaeEncoder.load(folder.vaeEncoder(), settings);
        }
        return vaeEncoder;
    }

    /** The cheap latent→RGB preview fitted to this model's VAE, fitted on first use (a few VAE decodes). */
    public synchronized LatentPreview latentPreview() {
        checkOpen();
        if (preview == null) {
            preview = LatentPreview.fit(this);
        }
        return preview;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("model " + folder.root() + " was unloaded");
        }
    }

    /** Whether {@link #close()} has released the networks. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Releases every loaded network, all of them even when releasing one fails (that failure is rethrown). */
    @Override
    public synchronized void close() {
        closed = true;
        AutoCloseable[] networks = {textEncoder, textEncoder2, unet, vaeDecoder, vaeEncoder};
        textEncoder = null;
        textEncoder2 = null;
        unet = null;
        vaeDecoder = null;
        vaeEncoder = null;
        Closeables.closeAll(networks);
    }
}
