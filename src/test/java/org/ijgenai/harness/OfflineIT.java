package org.ijgenai.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ijgenai.testing.Dist;
import org.ijgenai.testing.PluginsConfig;
import org.ijgenai.testing.Processes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline by construction, proven by tracing: {@code strace -f -e trace=connect} shows every connection attempt,
 * including the ones DJL makes and swallows, and {@code unshare -n} runs the launcher with no network at all.
 */
class OfflineIT {

    private static final Pattern CONNECT = Pattern.compile("connect\\(\\d+, \\{sa_family=(AF_[A-Z0-9]+)([^}]*)\\}");
    private static final String AFFINE = "src/test/resources/org/ijgenai/testing/affine.onnx";

    @TempDir
    Path tmp;

    /** The connect() calls in an strace log that reach anything but a local (Unix or loopback) socket. */
    static List<String> outboundConnects(Path trace) throws Exception {
        List<String> outbound = new ArrayList<>();
        for (String line : Files.readAllLines(trace, StandardCharsets.UTF_8)) {
            Matcher m = CONNECT.matcher(line);
            if (!m.find()) {
                continue;
            }
            String family = m.group(1);
            String address = m.group(2);
            boolean local = family.equals("AF_UNIX") || family.equals("AF_LOCAL")
                    || address.contains("\"127.0.0.1\"") || address.contains("\"::1\"")
                    || address.contains("\"::ffff:127.0.0.1\"");
            if (!local) {
                outbound.add(line.trim());
            }
        }
        return outbound;
    }

    private Processes.Result traced(List<String> command, Path trace) throws Exception {
        Processes.requireTool("strace", "strace");
        List<String> full = new ArrayList<>(List.of("strace", "-f", "-e", "trace=connect", "-o", trace.toString()));
        full.addAll(command);
        Processes.Result result = Processes.run(full, Paths.get("").toAbsolutePath(), cleanEnvironment(), 240);
        assumeTrue(!result.output().contains("ptrace(PTRACE_TRACEME") && !result.output().contains(
                "Operation not permitted"), "strace cannot trace here (no ptrace permission): " + result.output());
        return result;
    }

    /**
     * The environment of the traced children: a private HOME, and none of DJL's opt-out variables (the build
     * sets OPT_OUT_TRACKING for its own JVMs), so that only our entry points can make DJL offline.
     */
    private Map<String, String> cleanEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.resolve("home").toString());
        env.put("OPT_OUT_TRACKING", null);
        env.put("DJL_OFFLINE", null);
        env.put("DJL_CACHE_DIR", null);
        env.put("ENGINE_CACHE_DIR", null);
        return env;
    }

    private List<String> probe(String entryPoint, String... extra) {
        Path dist = Dist.dir();
        List<String> command = new ArrayList<>(List.of(Processes.java(), "-cp",
                Paths.get("target/test-classes").toAbsolutePath() + ":" + dist.resolve("plugins/ij_genai.jar") + ":"
                        + dist.resolve("plugins/jars/*") + ":" + dist.resolve("lib/ij.jar"),
                "-Duser.home=" + tmp.resolve("home"), "org.ijgenai.testing.OnnxProbe", entryPoint,
                Paths.get(AFFINE).toAbsolutePath().toString()));
        command.addAll(List.of(extra));
        return command;
    }

    @Test
    void traceCatchesDjlCallingHomeWhenNothingMadeItOffline() throws Exception {
        // The control: the same DJL engine start-up, without our entry point first, does try to connect, and the
        // run still succeeds, because DJL swallows the failure. So a clean trace below means something.
        Path trace = tmp.resolve("control.trace");
        Processes.Result result = traced(probe("none", "--connect", "192.0.2.1:80"), trace);
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.output().contains("y=[1.0, 3.0, 5.0, 7.0]"), result.describe());
        List<String> outbound = outboundConnects(trace);
        assertTrue(outbound.stream().anyMatch(l -> l.contains("192.0.2.1")),
                "the trace must show the deliberate control connection: " + outbound);
        assertTrue(outbound.stream().anyMatch(l -> l.contains("169.254.169.254")),
                "without Offline.ensure() DJL's engine start-up probes EC2 metadata (169.254.169.254); if DJL no"
                        + " longer does, this control needs a new trigger. Trace: " + outbound);
    }

    @Test
    void everyEntryPointMakesDjlOfflineBeforeDjlLoads() throws Exception {
        List<String> entryPoints = new ArrayList<>(List.of("org.ijgenai.cli.Main",
                "org.ijgenai.imagej.HeadlessMacroLauncher"));
        for (PluginsConfig.Entry entry : PluginsConfig.repository()) {
            if (!entry.separator()) {
                entryPoints.add(entry.className());
            }
        }
        for (String entryPoint : entryPoints) {
            Path trace = tmp.resolve(entryPoint + ".trace");
            Processes.Result result = traced(probe(entryPoint), trace);
            assertEquals(0, result.exitCode(), result.describe());
            assertTrue(result.output().contains("ai.djl.offline before=null after=true"),
                    entryPoint + " must call Offline.ensure() when its class initialises: " + result.describe());
            assertTrue(result.output().contains("y=[1.0, 3.0, 5.0, 7.0]"), result.describe());
            assertEquals(List.of(), outboundConnects(trace), entryPoint + ": outbound connect() calls");
        }
    }

    @Test
    void launcherCommandsMakeNoOutboundConnection() throws Exception {
        String launcher = Dist.launcher().toString();
        Path macro = tmp.resolve("offline.ijm");
        Files.writeString(macro, "open(\"" + Dist.samples().resolve("cell.png") + "\");\n"
                + "run(\"Forward Diffusion...\", \"schedule=scaled_linear frames=4 seed=9 plot compare\");\n"
                + "saveAs(\"Tiff\", \"" + tmp.resolve("macro-out.tif") + "\");\n");
        List<List<String>> commands = List.of(
                List.of(launcher, "diffuse", "--image", Dist.samples().resolve("chelsea.png").toString(),
                        "--schedule", "sigmoid", "--frames", "4", "--out", tmp.resolve("d.tif").toString(),
                        "--plot", tmp.resolve("d.png").toString()),
                List.of(launcher, "macro", macro.toString()),
                List.of(launcher, "demo", "--no-show", "--out", tmp.resolve("demo").toString()));
        int i = 0;
        for (List<String> command : commands) {
            Path trace = tmp.resolve("launcher" + i++ + ".trace");
            Processes.Result result = traced(command, trace);
            assertEquals(0, result.exitCode(), result.describe());
            assertTrue(Files.size(trace) > 0, "empty trace for " + command);
            assertEquals(List.of(), outboundConnects(trace), command + ": outbound connect() calls");
        }
        assertTrue(Files.isRegularFile(tmp.resolve("macro-out.tif")));
        assertTrue(Files.isRegularFile(tmp.resolve("demo/forward-diffusion.tif")));
    }

    @Test
    void launcherWorksInsideAnEmptyNetworkNamespace() throws Exception {
        Processes.requireTool("unshare", "util-linux");
        Processes.Result probe = Processes.run(List.of("unshare", "-n", "true"), tmp, Map.of(), 30);
        assumeTrue(probe.exitCode() == 0, "unshare -n is not permitted here (needs root or user namespaces): "
                + probe.output());
        String launcher = Dist.launcher().toString();
        Path macro = tmp.resolve("netless.ijm");
        Files.writeString(macro, "newImage(\"grey\", \"8-bit ramp\", 64, 64, 1);\n"
                + "run(\"Forward Diffusion...\", \"schedule=squaredcos_cap_v2 show_timesteps=0,999\");\n"
                + "if (nSlices != 2) exit(\"expected 2 slices\");\n"
                + "saveAs(\"Tiff\", \"" + tmp.resolve("netless.tif") + "\");\n");
        Map<String, String> env = cleanEnvironment();
        Processes.Result ip = Processes.run(List.of("unshare", "-n", "cat", "/proc/net/dev"), tmp, env, 30);
        assertFalse(ip.output().contains("eth0"), "the namespace must have no network device: " + ip.output());
        Processes.Result diffuse = Processes.run(List.of("unshare", "-n", launcher, "diffuse", "--image",
                Dist.samples().resolve("coffee.png").toString(), "--schedule", "linear", "--t", "0,500,999",
                "--out", tmp.resolve("netless-cli.tif").toString()), tmp, env, 120);
        assertEquals(0, diffuse.exitCode(), diffuse.describe());
        assertTrue(Files.isRegularFile(tmp.resolve("netless-cli.tif")));
        Processes.Result macroRun = Processes.run(List.of("unshare", "-n", launcher, "macro", macro.toString()),
                tmp, env, 120);
        assertEquals(0, macroRun.exitCode(), macroRun.describe());
        assertTrue(Files.isRegularFile(tmp.resolve("netless.tif")));
        Processes.Result probeRun = Processes.run(new ArrayList<>(List.of("unshare", "-n")) {
            {
                addAll(probe("org.ijgenai.cli.Main"));
            }
        }, tmp, env, 120);
        assertEquals(0, probeRun.exitCode(), probeRun.describe());
        assertTrue(probeRun.output().contains("y=[1.0, 3.0, 5.0, 7.0]"), probeRun.describe());
    }
}
