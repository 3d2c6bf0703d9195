package org.ijgenai.testing;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Map;

import org.ijgenai.core.onnx.OnnxModel;
import org.ijgenai.core.onnx.SessionSettings;
import org.ijgenai.core.tensor.Tensor;

/**
 * A child-process probe for {@code OfflineIT}: initialises one entry-point class (as ImageJ or the launcher
 * would), then, without calling {@code Offline} itself, loads and runs an ONNX model through DJL, which starts
 * DJL's engine and its call-home code paths. Prints what DJL saw.
 *
 * <p>Arguments: entry-point class name or {@code none}, ONNX file, then optionally {@code --connect HOST:PORT} to
 * attempt one TCP connection (a positive control showing that the trace does catch connections). The probe also
 * initialises DJL's default engine, the code path that holds DJL's call-home (EC2 metadata and telemetry).
 */
public final class OnnxProbe {

    private OnnxProbe() {}

    /** See the class comment. */
    public static void main(String[] args) throws Exception {
        String before = System.getProperty("ai.djl.offline");
        if (!"none".equals(args[0])) {
            Class.forName(args[0], true, OnnxProbe.class.getClassLoader());
        }
        System.out.println("entry=" + args[0] + " ai.djl.offline before=" + before + " after="
                + System.getProperty("ai.djl.offline") + " DJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR"));
        if (args.length > 3 && args[2].equals("--connect")) {
            String[] hostPort = args[3].split(":");
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 500);
            } catch (java.io.IOException expected) {
                System.out.println("control connection failed as expected: " + expected.getMessage());
            }
        }
        // Engine.getInstance() runs DJL's call-home unless offline; reflection keeps DJL imports in core.onnx.
        Object engine = Class.forName("ai.djl.engine.Engine").getMethod("getInstance").invoke(null);
        System.out.println("default engine: " + engine);
        Path model = Paths.get(args[1]);
        try (OnnxModel onnx = OnnxModel.load(model, SessionSettings.DEFAULT)) {
            Map<String, Tensor> out = onnx.run(Map.of("x", Tensor.ofFloats(new float[] {0, 1, 2, 3}, 1, 4)), "probe");
            System.out.println("y=" + Arrays.toString(out.get("y").floats()));
        }
        System.exit(0);
    }
}
