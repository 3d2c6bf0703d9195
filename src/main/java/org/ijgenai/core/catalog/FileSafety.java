package org.ijgenai.core.catalog;

import java.util.List;
import java.util.Locale;

import org.ijgenai.core.GenAiException;

/**
 * Which files a model may contain: only formats that cannot execute code when loaded (ONNX and its raw external
 * tensor data, safetensors, JSON, YAML and plain text). Pickle-based PyTorch and NumPy files are refused with the
 * reason, because unpickling runs arbitrary code.
 */
public final class FileSafety {

    /** File name endings that are accepted, lower case. */
    private static final List<String> ALLOWED = List.of(
            ".onnx",
            // ONNX external tensor data: raw little-endian bytes that ONNX Runtime maps, never interprets as code.
            // diffusers' old exporter wrote "weights.pb", optimum writes "model.onnx_data".
            ".onnx_data", ".onnx.data", ".data", ".pb",
            ".safetensors",
            ".json", ".yaml", ".yml",
            ".txt", ".md", "license", "licence", "readme");

    /** Pickle-based endings and why each is refused. */
    private static final List<String[]> PICKLED = List.of(
            new String[] {".ckpt", "a PyTorch Lightning / Stable Diffusion checkpoint"},
            new String[] {".pt", "a PyTorch pickle"},
            new String[] {".pth", "a PyTorch pickle"},
            new String[] {".bin", "PyTorch weights saved with torch.save (a pickle)"},
            new String[] {".pkl", "a Python pickle"},
            new String[] {".pickle", "a Python pickle"},
            new String[] {".joblib", "a joblib pickle"},
            new String[] {".npy", "a NumPy array file that may hold pickled objects"},
            new String[] {".npz", "a NumPy archive that may hold pickled objects"},
            new String[] {".h5", "a Keras/HDF5 model that may hold serialised Python code"},
            new String[] {".keras", "a Keras model that may hold serialised Python code"});

    private FileSafety() {}

    /** The reason {@code relativePath} may not be part of a model, or null when it may. */
    public static String problem(String relativePath) {
        String pathProblem = ModelName.relativePathProblem(relativePath);
        if (pathProblem != null) {
            return "unsafe path (" + pathProblem + ")";
        }
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        for (String[] pickled : PICKLED) {
            if (name.endsWith(pickled[0])) {
                return "refused: " + pickled[1] + "; loading it can run arbitrary code. Use an ONNX or safetensors"
                        + " export of the same model instead";
            }
        }
        for (String ending : ALLOWED) {
            if (name.endsWith(ending) || name.equals(ending)) {
                return null;
            }
        }
        return "refused: not a format ij-genai accepts in a model (ONNX, ONNX external data, safetensors, JSON,"
                + " YAML or text)";
    }

    /** Whether {@code relativePath} may be part of a model. */
    public static boolean isAllowed(String relativePath) {
        return problem(relativePath) == null;
    }

    /** Throws a {@link GenAiException} naming the file when it may not be part of a model. */
    public static void require(String relativePath) {
        String problem = problem(relativePath);
        if (problem != null) {
            throw new GenAiException(ModelName.printable(relativePath) + ": " + problem);
        }
    }
}
