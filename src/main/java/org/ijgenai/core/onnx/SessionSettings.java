package org.ijgenai.core.onnx;

/**
 * How ONNX Runtime should run a network: intra-op threads (0 lets ONNX Runtime decide), graph optimisation, the
 * CUDA device index (−1 for CPU), and which Stable Diffusion network it is, whose measured ONNX Runtime options
 * ({@link Network}) then apply.
 *
 * @param network the Stable Diffusion network these settings load, or null for any other network (full graph
 *     optimisation, CPU memory arena on)
 */
public record SessionSettings(int intraOpThreads, boolean optimizeGraph, int cudaDevice, Network network) {

    /** All CPU cores, full graph optimisation, CPU execution. */
    public static final SessionSettings DEFAULT = new SessionSettings(0, true, -1);

    /** ONNX Runtime's graph optimisation levels, from none to all. */
    public enum GraphOptimization {
        /** No graph rewriting. */
        NONE,
        /** Constant folding and redundant-node elimination. */
        BASIC,
        /** BASIC plus operator fusions (attention, GELU, layer norm, MatMul+Add). */
        EXTENDED,
        /** EXTENDED plus layout changes (on CPU, NCHWc convolutions). */
        ALL
    }

    /**
     * The Stable Diffusion networks, each with the ONNX Runtime options measured best for it on a CPU by
     * OrtSettingsBenchmark (figures in docs/sdxl.md): the optimisation level and whether the CPU memory arena
     * is on.
     */
    public enum Network {
        /** CLIP text encoders (SD's, and both of SDXL's). */
        TEXT_ENCODER(GraphOptimization.EXTENDED, false, true, true),
        /**
         * The denoising UNet. Its arena stays on although turning it off lowered peak RSS (issue 16: 10.6 to 7.4 GB
         * for an SD 1.5-size UNet): without the arena a failed allocation is a bare std::bad_alloc, and the message
         * that names the buffer's size (GenerationJob: "one of its buffers alone needs … GiB") is lost.
         */
        UNET(GraphOptimization.EXTENDED, true, false, true),
        /**
         * The UNet when memory is short for it: ONNX Runtime's CPU kernels keep no repacked copy of the weights
         * beside the weights. SdxlUnetBenchmark on the real-size SDXL UNet at 512²: peak RSS 19.4 → 16.2 GB, one step
         * 18.4–19.0 → 19.5 s.
         */
        UNET_LOW_MEMORY(GraphOptimization.EXTENDED, true, false, false),
        /** The VAE decoder (latents to pixels); its peak RSS was lower with the arena on. */
        VAE_DECODER(GraphOptimization.EXTENDED, true, true, true),
        /** The VAE encoder (pixels to latents), the decoder's mirror image, with the decoder's settings. */
        VAE_ENCODER(GraphOptimization.EXTENDED, true, true, true);

        private final GraphOptimization optimization;
        private final boolean cpuArena;
        private final boolean savedOptimizedModel;
        private final boolean prepackedWeights;

        Network(GraphOptimization optimization, boolean cpuArena, boolean savedOptimizedModel,
                boolean prepackedWeights) {
            this.optimization = optimization;
            this.cpuArena = cpuArena;
            this.savedOptimizedModel = savedOptimizedModel;
            this.prepackedWeights = prepackedWeights;
        }

        /**
         * Whether ONNX Runtime's CPU kernels may keep their own repacked copy of the weights (faster matrix products,
         * about a third more memory for the weights).
         */
        public boolean prepackedWeights() {
            return prepackedWeights;
        }

        /**
         * Whether this network's optimised graph is kept on disk ({@link OptimizedModelCache}) and loaded from there
         * next time. Measured to pay for the text encoders and the VAE; the UNet's copy would be another 3.4 GB
         * (SD 1.5) or 10 GB (SDXL) on disk for a load time that EXTENDED already keeps at seconds.
         */
        public boolean savedOptimizedModel() {
            return savedOptimizedModel;
        }

        /** The graph optimisation level this network loads with when optimisation is on. */
        public GraphOptimization optimization() {
            return optimization;
        }

        /**
         * Whether ONNX Runtime's CPU memory arena is on: the arena keeps the largest activations a run needed for the
         * next; for the text encoders that raised peak memory without a measured speed gain.
         */
        public boolean cpuArena() {
            return cpuArena;
        }
    }

    /** Settings for no particular network. */
    public SessionSettings(int intraOpThreads, boolean optimizeGraph, int cudaDevice) {
        this(intraOpThreads, optimizeGraph, cudaDevice, null);
    }

    /** Validates the settings. */
    public SessionSettings {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intra-op threads must be ≥ 0, was " + intraOpThreads);
        }
    }

    /** These settings for one Stable Diffusion network, with that network's measured ONNX Runtime options. */
    public SessionSettings forNetwork(Network which) {
        return new SessionSettings(intraOpThreads, optimizeGraph, cudaDevice, which);
    }

    /** The graph optimisation level a session loads with. */
    public GraphOptimization optimization() {
        if (!optimizeGraph) {
            return GraphOptimization.NONE;
        }
        return network == null ? GraphOptimization.ALL : network.optimization();
    }

    /**
     * Whether a session keeps its optimised graph in the {@link OptimizedModelCache}: a CPU session of a network
     * whose saved graph was measured to load faster. (CUDA sessions optimise for their provider; not cached.)
     */
    public boolean savesOptimizedModel() {
        return network != null && network.savedOptimizedModel() && cudaDevice < 0
                && optimization() != GraphOptimization.NONE;
    }

    /** Whether ONNX Runtime's CPU kernels may keep a repacked copy of the weights ({@link Network#prepackedWeights}). */
    public boolean prepackedWeights() {
        return network == null || network.prepackedWeights();
    }

    /** Whether a session uses ONNX Runtime's CPU memory arena. */
    public boolean cpuArena() {
        return network == null || network.cpuArena();
    }
}
