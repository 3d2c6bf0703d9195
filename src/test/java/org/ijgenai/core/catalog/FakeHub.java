package org.ijgenai.core.catalog;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A fake Hugging Face hub on 127.0.0.1 over HTTPS with a self-signed certificate made by keytool for the test run:
 * {@code /<owner>/<repo>/resolve/<revision>/<path>} with the hub's headers (X-Linked-Etag, X-Linked-Size,
 * X-Repo-Commit), a redirect to a "CDN" path, byte ranges, and injectable faults (a corrupted byte, a cut
 * connection, a slow trickle). It answers at most {@value #MAX_REQUESTS} requests and stops itself after two
 * minutes, so a broken test can never leave it running.
 */
final class FakeHub implements AutoCloseable {

    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final int MAX_REQUESTS = 500;
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    private static SSLContext serverContext;
    private static SSLContext clientContext;

    private final HttpsServer server;
    private final ExecutorService executor;
    private final Map<String, Served> files = new ConcurrentHashMap<>();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();

    /** One served file and its faults. */
    static final class Served {
        final byte[] data;
        boolean lfs = true;
        boolean redirect;
        URI redirectBase;
        String announcedSha;
        int corruptAt = -1;
        long cutAfter = -1;
        int cutsLeft;
        int slowChunk;
        long slowDelayMs;
        final String id;

        Served(byte[] data, String id) {
            this.data = data;
            this.id = id;
        }

        /** Serves the file through a relative 302 to /cdn/…, like LFS files on the hub. */
        Served redirect() {
            redirect = true;
            return this;
        }

        /** Redirects to the same CDN path on another server. */
        Served redirectTo(URI base) {
            redirect = true;
            redirectBase = base;
            return this;
        }

        /** A small git file: its ETag is a git blob id, not a SHA-256. */
        Served gitFile() {
            lfs = false;
            return this;
        }

        /** Announces this SHA-256 in X-Linked-Etag instead of the true one. */
        Served announce(String sha) {
            announcedSha = sha;
            return this;
        }

        /** Flips one byte of what is sent (the announced hash stays that of the true bytes). */
        Served corruptByte(int index) {
            corruptAt = index;
            return this;
        }

        /** Closes the connection after {@code bytes} bytes, {@code times} times. */
        Served cutAfter(long bytes, int times) {
            cutAfter = bytes;
            cutsLeft = times;
            return this;
        }

        /** Sends {@code chunk} bytes every {@code delayMs} milliseconds. */
        Served slow(int chunk, long delayMs) {
            slowChunk = chunk;
            slowDelayMs = delayMs;
            return this;
        }

        String sha256() {
            return HexFormat.of().formatHex(FileDownloader.sha256().digest(data));
        }
    }

    private FakeHub() throws IOException {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread thread = new Thread(r, "fake-hub");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                return;
            }
            close();
        }, "fake-hub-stopper");
        stopper.setDaemon(true);
        stopper.start();
    }

    /** Starts a hub on a free loopback port. */
    static synchronized FakeHub start() throws Exception {
        if (serverContext == null) {
            createCertificate();
        }
        return new FakeHub();
    }

    /** Download settings that trust this hub's certificate and use no proxy. */
    DownloadSettings settings(int retries) {
        return new DownloadSettings(uri(), false, clientContext, null, Duration.ofSeconds(5), Duration.ofSeconds(5),
                retries, Optional.empty());
    }

    URI uri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Serves {@code data} as {@code path} of {@code repo} at {@code revision}. */
    Served put(String repo, String revision, String path, byte[] data) {
        Served served = new Served(data, Integer.toString(files.size()));
        files.put(repo + "@" + revision + "@" + path, served);
        files.put("cdn@" + served.id, served);
        return served;
    }

    /** Every request so far, as "METHOD path range=… auth=yes|no". */
    List<String> log() {
        synchronized (log) {
            return new ArrayList<>(log);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String range = exchange.getRequestHeaders().getFirst("Range");
            log.add(exchange.getRequestMethod() + " " + path + " range=" + range + " auth="
                    + (exchange.getRequestHeaders().getFirst("Authorization") != null ? "yes" : "no"));
            if (requests.incrementAndGet() > MAX_REQUESTS) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            Served served;
            if (path.startsWith("/cdn/")) {
                served = files.get("cdn@" + path.substring(5));
            } else {
                Matcher m = RESOLVE.matcher(path);
                String revision = m.matches() ? decode(m.group(2)) : null;
                // The hub serves a branch's files under its current commit id too.
                served = m.matches() ? files.get(m.group(1) + "@" + (COMMIT.equals(revision) ? "main" : revision)
                        + "@" + decode(m.group(3))) : null;
                if (served != null) {
                    exchange.getResponseHeaders().add("X-Repo-Commit", COMMIT);
                    String sha = served.announcedSha != null ? served.announcedSha : served.sha256();
                    if (served.lfs) {
                        exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + sha + "\"");
                        exchange.getResponseHeaders().add("X-Linked-Size", Integer.toString(served.data.length));
                    }
                    exchange.getResponseHeaders().add("ETag", served.lfs ? "\"" + sha + "\""
                            : "\"" + sha.substring(0, 40) + "\"");
                    if (served.redirect) {
                        // Like the hub: relative for its own paths, absolute to another host.
                        exchange.getResponseHeaders().add("Location", (served.redirectBase != null
                                ? served.redirectBase.toString() : "") + "/cdn/" + served.id);
                        exchange.sendResponseHeaders(302, -1);
                        return;
                    }
                }
            }
            if (served == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            send(exchange, served, range);
        }
    }

    private static void send(HttpExchange exchange, Served served, String range) throws IOException {
        int start = 0;
        if (range != null) {
            Matcher m = RANGE.matcher(range);
            if (m.matches()) {
                start = Integer.parseInt(m.group(1));
            }
            if (start >= served.data.length) {
                exchange.getResponseHeaders().add("Content-Range", "bytes */" + served.data.length);
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (served.data.length - 1)
                    + "/" + served.data.length);
        }
        int length = served.data.length - start;
        exchange.sendResponseHeaders(range != null ? 206 : 200, length);
        long cut;
        synchronized (served) {
            cut = served.cutsLeft > 0 ? served.cutAfter : -1;
            if (cut >= 0) {
                served.cutsLeft--;
            }
        }
        OutputStream out = exchange.getResponseBody();
        int chunk = served.slowChunk > 0 ? served.slowChunk : 8192;
        for (int offset = start; offset < served.data.length; offset += chunk) {
            int n = Math.min(chunk, served.data.length - offset);
            if (cut >= 0 && offset + n > cut) {
                n = (int) Math.max(0, cut - offset);
                byte[] piece = piece(served, offset, n);
                out.write(piece);
                out.flush();
                // Drop the connection mid-body, as a network failure would.
                throw new IOException("fake hub cut the connection");
            }
            out.write(piece(served, offset, n));
            if (served.slowDelayMs > 0) {
                out.flush();
                try {
                    Thread.sleep(served.slowDelayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static byte[] piece(Served served, int offset, int n) {
        byte[] piece = java.util.Arrays.copyOfRange(served.data, offset, offset + n);
        if (served.corruptAt >= offset && served.corruptAt < offset + n) {
            piece[served.corruptAt - offset] ^= 0x01;
        }
        return piece;
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes a self-signed certificate for 127.0.0.1 with the JDK's keytool, once per test JVM. */
    private static void createCertificate() throws Exception {
        Path dir = Files.createTempDirectory("ij-genai-fake-hub");
        Path store = dir.resolve("hub.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "hub", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass",
                "changeit", "-noprompt").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        Certificate certificate = keys.getCertificate("hub");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("hub", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, tmf.getTrustManagers(), null);
        Files.deleteIfExists(store);
        Files.deleteIfExists(dir);
    }
}
