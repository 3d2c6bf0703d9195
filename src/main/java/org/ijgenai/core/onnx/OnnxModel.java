package org.ijgenai.core.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.ijgenai.core.Closeables;
import org.ijgenai.core.GenAiException;
import org.ijgenai.core.Offline;
import org.ijgenai.core.tensor.ElementType;
import org.ijgenai.core.tensor.HalfFloat;
import org.ijgenai.core.tensor.Tensor;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.onnxruntime.engine.OrtNDManager;
import ai.djl.onnxruntime.engine.OrtSymbolBlock;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/**
 * One ONNX network run through DJL's ONNX Runtime engine, with the input and output metadata of its session, so
 * callers can adapt to an export's dtypes and ranks instead of assuming them.
 *
 * <p>Inputs are converted to the dtype the session declares (float32 to float16, int64 to int32 and back), and
 * float16 outputs are returned as float32.
 */
public final class OnnxModel implements AutoCloseable {

    private final Path file;
    private final Path sessionFile;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final Map<String, TensorSpec> inputs;
    private final Map<String, TensorSpec> outputs;
    private final java.util.concurrent.atomic.AtomicLong networkNanos = new java.util.concurrent.atomic.AtomicLong();

    private OnnxModel(Path file, Path sessionFile, Model model, Predictor<NDList, NDList> predictor,
            Map<String, TensorSpec> inputs, Map<String, TensorSpec> outputs) {
        this.sessionFile = sessionFile;
        this.file = file;
        this.model = model;
        this.predictor = predictor;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /**
     * Loads an ONNX file (external weights such as {@code weights.pb} or {@code model.onnx_data} are found beside
     * it by ONNX Runtime).
     *
     * @throws GenAiException naming the file when it is missing or ONNX Runtime cannot load it
     */
    public static OnnxModel load(Path onnxFile, SessionSettings settings) {
        return load(onnxFile, null, settings);
    }

    /**
     * Loads a model from serialized bytes (a rewritten graph, such as {@link AttentionGraph#withCapture}'s) that
     * stands for {@code onnxFile}: its external-data references resolve in {@code onnxFile}'s folder, as they would
     * for the file itself, so the weights are read where they are and nothing is written.
     *
     * @param modelBytes the serialized ModelProto, or null to load {@code onnxFile} itself
     * @throws GenAiException naming the file when it is missing or ONNX Runtime cannot load the model
     */
    public static OnnxModel load(Path onnxFile, byte[] modelBytes, SessionSettings settings) {
        Offline.ensure();
        if (!Files.isRegularFile(onnxFile)) {
            throw new GenAiException("ONNX model not found: " + onnxFile);
        }
        if (onnxFile.toFile().length() == 0) {
            throw new GenAiException(onnxFile + " is empty (0 bytes), not an ONNX model: an interrupted copy or"
                    + " download; install the model again");
        }
        OrtSession session = null;
        Model model = null;
        Path sessionFile = onnxFile;
        // The session copies its options when it is created, so they are released right after, on success or not.
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (settings.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(settings.intraOpThreads());
            }
            // Idle intra-op threads sleep instead of spinning: between network calls the pipeline's own work (the
            // scheduler, guidance, conversions) would otherwise compete with busy-waiting threads for the cores.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            // Failures reach the user once, wrapped with context by run(); ONNX Runtime's own log would print them
            // a second time, in red, including the expected ones of a size probe.
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            options.setOptimizationLevel(level(settings));
            options.setCPUArenaAllocator(settings.cpuArena());
            if (!settings.prepackedWeights()) {
                options.addConfigEntry("session.disable_prepacking", "1");
            }
            if (settings.cudaDevice() >= 0) {
                options.addCUDA(settings.cudaDevice());
            }
            Device device = settings.cudaDevice() >= 0 ? Device.gpu(settings.cudaDevice()) : Device.cpu();
            // DJL's engine creates the process's OrtEnvironment, so it must start before we ask for the environment.
            // DJL finds its engines with ServiceLoader on the context class loader; inside ImageJ that loader cannot
            // see plugins/jars ("Deep learning engine not found: OnnxRuntime"), so lend it ours for the lookup.
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(OnnxModel.class.getClassLoader());
            try {
                model = Model.newInstance(onnxFile.getFileName().toString(), device, "OnnxRuntime");
            } finally {
                thread.setContextClassLoader(previous);
            }
            if (modelBytes == null) {
                OptimizedModelCache.Entry cached = settings.savesOptimizedModel() ? cacheEntry(onnxFile, settings)
                        : null;
                session = cached != null && cached.exists() ? loadOptimized(cached, options, settings) : null;
                if (session != null) {
                    sessionFile = cached.graph();
                } else {
                    session = createSession(onnxFile, options, cached);
                }
            } else {
                // ONNX Runtime resolves external data against the model's path; bytes have none, so it is told.
                Path folder = onnxFile.toAbsolutePath().getParent();
                options.addConfigEntry("session.model_external_initializers_file_folder_path", folder.toString());
                session = OrtEnvironment.getEnvironment().createSession(modelBytes, options);
            }
            Map<String, TensorSpec> in = describe(session.getInputInfo());
            Map<String, TensorSpec> out = describe(session.getOutputInfo());
            // Building the block from our own session keeps DJL as the runner while exposing the session's
            // metadata, which DJL's OrtModel keeps private.
            model.setBlock(new OrtSymbolBlock(session, (OrtNDManager) model.getNDManager()));
            Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
            return new OnnxModel(onnxFile, sessionFile, model, predictor, in, out);
        } catch (OrtException | RuntimeException e) {
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException ignored) {
                    // Reporting the load failure matters more than a failed close.
                }
            }
            if (model != null) {
                model.close();
            }
            throw new GenAiException("Cannot load ONNX model " + onnxFile + ": " + e.getMessage(), e);
        }
    }

    private static OrtSession.SessionOptions.OptLevel level(SessionSettings settings) {
        return switch (settings.optimization()) {
            case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
            case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
            case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
            case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
        };
    }

    /** The cache entry for a network's optimised graph, or null when the cache is off or the folder unreadable. */
    private static OptimizedModelCache.Entry cacheEntry(Path onnxFile, SessionSettings settings) {
        OptimizedModelCache cache = OptimizedModelCache.configured();
        if (cache == null) {
            return null;
        }
        try {
            return cache.entry(onnxFile, OrtEnvironment.getEnvironment().getVersion(), settings.optimization(),
                    "cpu");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A session over the model file, optimised as {@code options} say; with a cache entry to fill, ONNX Runtime also
     * writes the graph it optimised into a temporary folder, which becomes the entry once the session exists.
     */
    private static OrtSession createSession(Path onnxFile, OrtSession.SessionOptions options,
            OptimizedModelCache.Entry cached) throws OrtException {
        Path writing = cached == null ? null : cached.reserve();
        if (writing == null) {
            return OrtEnvironment.getEnvironment().createSession(onnxFile.toString(), options);
        }
        // The weights go to a file of their own, since a graph of more than 2 GB cannot be one protobuf.
        options.setOptimizedModelFilePath(writing.resolve(OptimizedModelCache.GRAPH).toString());
        options.addConfigEntry("session.optimized_model_external_initializers_file_name", OptimizedModelCache.WEIGHTS);
        options.addConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
        OrtSession session;
        try {
            session = OrtEnvironment.getEnvironment().createSession(onnxFile.toString(), options);
        } catch (OrtException | RuntimeException e) {
            OptimizedModelCache.Entry.delete(writing);
            throw e;
        }
        cached.commit(writing);
        return session;
    }

    /**
     * A session over a cached optimised graph, loaded without optimising again; null when ONNX Runtime cannot read
     * it (a disk error truncated it, say), with the entry removed so that it is written anew and {@code options}
     * back at the settings' optimisation level for that.
     */
    private static OrtSession loadOptimized(OptimizedModelCache.Entry cached, OrtSession.SessionOptions options,
            SessionSettings settings) throws OrtException {
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
        try {
            return OrtEnvironment.getEnvironment().createSession(cached.graph().toString(), options);
        } catch (OrtException e) {
            cached.discard();
            options.setOptimizationLevel(level(settings));
            return null;
        }
    }

    private static Map<String, TensorSpec> describe(Map<String, NodeInfo> infos) {
        Map<String, TensorSpec> specs = new LinkedHashMap<>();
        for (NodeInfo node : infos.values()) {
            if (node.getInfo() instanceof TensorInfo info) {
                specs.put(node.getName(), new TensorSpec(node.getName(), elementType(info.type), info.getShape()));
            } else {
                specs.put(node.getName(), new TensorSpec(node.getName(), ElementType.OTHER, new long[0]));
            }
        }
        return Collections.unmodifiableMap(specs);
    }

    private static ElementType elementType(OnnxJavaType type) {
        switch (type) {
            case FLOAT:
                return ElementType.FLOAT32;
            case FLOAT16:
                return ElementType.FLOAT16;
            case INT32:
                return ElementType.INT32;
            case INT64:
                return ElementType.INT64;
            case UINT8:
                return ElementType.UINT8;
            case BOOL:
                return ElementType.BOOL;
            default:
                return ElementType.OTHER;
        }
    }

    /** The file this network was loaded from. */
    public Path file() {
        return file;
    }

    /**
     * The graph the session was created from: {@link #file()}, or its optimised copy in the
     * {@link OptimizedModelCache} when one was loaded instead.
     */
    public Path sessionFile() {
        return sessionFile;
    }

    /**
     * The total time spent inside ONNX Runtime's run call since loading, in nanoseconds: the network alone, without
     * the conversions at the boundary, so benchmarks can split a step into network time and everything else.
     */
    public long networkNanos() {
        return networkNanos.get();
    }

    /** The session's inputs, in declaration order. */
    public Map<String, TensorSpec> inputs() {
        return inputs;
    }

    /** The session's outputs, in declaration order. */
    public Map<String, TensorSpec> outputs() {
        return outputs;
    }

    /** The input with this name. @throws GenAiException when the network has no such input */
    public TensorSpec input(String name) {
        TensorSpec spec = inputs.get(name);
        if (spec == null) {
            throw new GenAiException(file + " has no input '" + name + "'; its inputs are " + inputs.values());
        }
        return spec;
    }

    /**
     * Runs the network.
     *
     * @param feeds one tensor per session input, keyed by input name; each is converted to the declared dtype
     * @param context what the call is for, used in error messages (e.g. "UNet step t=701")
     * @return every output, keyed by name, float types as float32
     * @throws GenAiException naming the file and context when ONNX Runtime fails
     */
    public Map<String, Tensor> run(Map<String, Tensor> feeds, String context) {
        for (String name : inputs.keySet()) {
            if (!feeds.containsKey(name)) {
                throw new GenAiException(context + ": input '" + name + "' of " + file + " was not provided");
            }
        }
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList list = new NDList();
            for (TensorSpec spec : inputs.values()) {
                NDArray array = toNDArray(manager, feeds.get(spec.name()), spec);
                array.setName(spec.name());
                list.add(array);
            }
            long started = System.nanoTime();
            NDList result = predictor.predict(list);
            networkNanos.addAndGet(System.nanoTime() - started);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (NDArray array : result) {
                out.put(array.getName(), fromNDArray(array));
            }
            result.close();
            return out;
        } catch (TranslateException | RuntimeException e) {
            if (e instanceof GenAiException g) {
                throw g;
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof OutOfMemoryError) {
                throw new GenAiException(context + ": out of memory in " + file + "; try a smaller size", cause);
            }
            throw new GenAiException(context + ": ONNX Runtime failed on " + file + ": " + cause.getMessage(), e);
        }
    }

    private NDArray toNDArray(NDManager manager, Tensor tensor, TensorSpec spec) {
        long[] shape = tensor.shape();
        Shape djlShape = new Shape(shape);
        int n = tensor.size();
        switch (spec.type()) {
            case FLOAT32:
                return manager.create(FloatBuffer.wrap(asFloats(tensor, spec)), djlShape, DataType.FLOAT32);
            case FLOAT16: {
                float[] values = asFloats(tensor, spec);
                ByteBuffer halves = ByteBuffer.allocateDirect(n * 2).order(ByteOrder.nativeOrder());
                for (float v : values) {
                    halves.putShort(HalfFloat.fromFloat(v));
                }
                halves.rewind();
                return manager.create(halves, djlShape, DataType.FLOAT16);
            }
            case INT64: {
                long[] values;
                if (tensor.type() == ElementType.INT64) {
                    values = tensor.longs();
                } else if (tensor.type() == ElementType.INT32) {
                    int[] ints = tensor.ints();
                    values = new long[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = ints[i];
                    }
                } else {
                    float[] floats = tensor.floats();
                    values = new long[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = (long) floats[i];
                    }
                }
                return manager.create(LongBuffer.wrap(values), djlShape, DataType.INT64);
            }
            case INT32: {
                int[] values;
                if (tensor.type() == ElementType.INT32) {
                    values = tensor.ints();
                } else if (tensor.type() == ElementType.INT64) {
                    long[] longs = tensor.longs();
                    values = new int[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = Math.toIntExact(longs[i]);
                    }
                } else {
                    float[] floats = tensor.floats();
                    values = new int[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = (int) floats[i];
                    }
                }
                return manager.create(IntBuffer.wrap(values), djlShape, DataType.INT32);
            }
            default:
                throw new GenAiException("Input '" + spec.name() + "' of " + file + " has type " + spec.type()
                        + ", which ij-genai cannot feed");
        }
    }

    private static float[] asFloats(Tensor tensor, TensorSpec spec) {
        if (tensor.type() == ElementType.FLOAT32) {
            return tensor.floats();
        }
        float[] out = new float[tensor.size()];
        if (tensor.type() == ElementType.INT64) {
            long[] longs = tensor.longs();
            for (int i = 0; i < out.length; i++) {
                out[i] = longs[i];
            }
        } else if (tensor.type() == ElementType.INT32) {
            int[] ints = tensor.ints();
            for (int i = 0; i < out.length; i++) {
                out[i] = ints[i];
            }
        } else {
            throw new IllegalArgumentException("cannot convert " + tensor + " for input " + spec);
        }
        return out;
    }

    private Tensor fromNDArray(NDArray array) {
        long[] shape = array.getShape().getShape();
        DataType type = array.getDataType();
        switch (type) {
            case FLOAT32:
                return Tensor.ofFloats(array.toFloatArray(), shape);
            case FLOAT16: {
                ByteBuffer bytes = array.toByteBuffer().order(ByteOrder.nativeOrder());
                float[] values = new float[Math.toIntExact(array.size())];
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfFloat.toFloat(bytes.getShort(i * 2));
                }
                return Tensor.ofFloats(values, shape);
            }
            case FLOAT64: {
                double[] doubles = array.toDoubleArray();
                float[] values = new float[doubles.length];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) doubles[i];
                }
                return Tensor.ofFloats(values, shape);
            }
            case INT64:
                return Tensor.ofLongs(array.toLongArray(), shape);
            case INT32:
                return Tensor.ofInts(array.toIntArray(), shape);
            default:
                throw new GenAiException("Output '" + array.getName() + "' of " + file + " has type " + type
                        + ", which ij-genai cannot read");
        }
    }

    @Override
    public void close() {
        Closeables.closeAll(predictor, model);
    }
}
