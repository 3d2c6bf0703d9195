package org.ijgenai.core.diffusion;

import java.util.function.Consumer;

import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.ProgressListener;

/**
 * The builder options that every generation job takes (model, request, user models folder, device, threads,
 * progress, cancel, warnings, model cache), written once for {@link GenerationJob}, {@link InpaintJob},
 * {@link GridRun}, {@link LatentWalk} and the attention maps job, with {@code set…} for what is required and
 * {@code opt…} for the rest, as DJL's builders name them.
 *
 * <p>A job that runs other jobs (a grid's cells, an inpainting's generation) hands its options on with
 * {@link #passOptions}, so that a cell runs exactly as the single command would with the same options.
 *
 * @param <B> the job itself, which every option returns so that calls chain
 */
public abstract class JobBuilder<B extends JobBuilder<B>> {

    private String model;
    private String userModelDir;
    private GenerationRequest request;
    private String device = "auto";
    private int threads;
    private ProgressListener progress = ProgressListener.NONE;
    private CancellationToken cancel = CancellationToken.NONE;
    private Consumer<String> warnings = w -> {};
    private ModelCache cache = ModelCache.shared();

    /** The model: a folder, or a name that the catalogue resolves. */
    public B setModel(String nameOrFolder) {
        this.model = nameOrFolder;
        return self();
    }

    /** The request to run (for a grid or a walk, the base request that each cell or frame changes). */
    public B setRequest(GenerationRequest generation) {
        this.request = generation;
        return self();
    }

    /** The user's own models folder, searched for model names besides the bundled ones; null or "" for none. */
    public B optUserModelDir(String folder) {
        this.userModelDir = folder;
        return self();
    }

    /**
     * The execution device, as {@link org.ijgenai.core.onnx.ExecutionDevice#choose} takes it ("auto", "cpu", "gpu",
     * "gpu:1").
     */
    public B optDevice(String name) {
        this.device = name;
        return self();
    }

    /** ONNX Runtime's intra-op threads; 0 lets it choose. */
    public B optThreads(int count) {
        this.threads = count;
        return self();
    }

    /** Where progress goes (a grid or a walk: one unit per cell or frame). */
    public B optProgress(ProgressListener listener) {
        this.progress = listener;
        return self();
    }

    /** What cancels the run (a grid or a walk: between and within its generations). */
    public B optCancel(CancellationToken token) {
        this.cancel = token;
        return self();
    }

    /** Where warnings and notes go (a size that may not fit the GPU, a prompt cut to the UNet's text length, …). */
    public B optWarnings(Consumer<String> sink) {
        this.warnings = sink;
        return self();
    }

    /** The model cache to lease from (the shared one unless a test brings its own). */
    public B optCache(ModelCache modelCache) {
        this.cache = modelCache;
        return self();
    }

    /** The model name or folder, or null before {@link #setModel}. */
    protected final String model() {
        return model;
    }

    /** The user's models folder, or null. */
    protected final String userModelDir() {
        return userModelDir;
    }

    /** The request, or null before {@link #setRequest}. */
    protected final GenerationRequest request() {
        return request;
    }

    /** The execution device's name. */
    protected final String device() {
        return device;
    }

    /** ONNX Runtime's intra-op threads, 0 for its choice. */
    protected final int threads() {
        return threads;
    }

    /** Where progress goes. */
    protected final ProgressListener progress() {
        return progress;
    }

    /** What cancels the run. */
    protected final CancellationToken cancel() {
        return cancel;
    }

    /** Where warnings go. */
    protected final Consumer<String> warnings() {
        return warnings;
    }

    /** The model cache. */
    protected final ModelCache cache() {
        return cache;
    }

    /**
     * {@code job} with this job's model, user models folder, device, threads, cancel, warnings and cache, and
     * {@code jobProgress} as its progress (a grid passes its cells' step progress, a single run its own); the
     * request is each job's own.
     */
    protected final <J extends JobBuilder<J>> J passOptions(J job, ProgressListener jobProgress) {
        return job.setModel(model).optUserModelDir(userModelDir).optDevice(device).optThreads(threads)
                .optProgress(jobProgress).optCancel(cancel).optWarnings(warnings).optCache(cache);
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
