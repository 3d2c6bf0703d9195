package org.ijgenai.core.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ijgenai.core.GenAiException;
import org.ijgenai.core.progress.CancellationToken;
import org.ijgenai.core.progress.CancelledException;

/**
 * Fetches one file over HTTPS into a {@code .part} file: follows redirects itself (HTTPS only, the token never
 * leaves the hub's host), resumes with a Range request, checks the announced and received size, and computes the
 * SHA-256 while writing. A {@link GenAiException} means the file is wrong and the partial file was deleted; an
 * {@link IOException} means the transfer was interrupted and the partial file can be resumed.
 */
final class FileDownloader {

    private static final int MAX_REDIRECTS = 10;
    private static final long DISK_RESERVE = 16L << 20;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final String USER_AGENT = "ij-genai/0.1 (model manager; Java)";

    private final DownloadSettings settings;
    private final HttpClient client;

    FileDownloader(DownloadSettings settings) {
        this.settings = settings;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .sslContext(settings.sslContext())
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        ProxySelector proxy = settings.proxy();
        builder.proxy(proxy != null ? proxy : HttpClient.Builder.NO_PROXY);
        this.client = builder.build();
    }

    /** What was received for one file. */
    record Result(long size, String sha256, Provenance provenance, String serverSha256, String repoCommit) { }

    /**
     * Downloads {@code uri} into {@code part}, resuming from the bytes already there.
     *
     * @param expected the catalogue's knowledge of the file (size and SHA-256 may be null)
     * @param received called with the number of new bytes as they arrive
     */
    Result fetch(URI uri, Path part, ModelFile expected, LongConsumer received, CancellationToken cancel)
            throws IOException {
        if (settings.offline()) {
            throw new GenAiException("offline mode is on (ijgenai.offline / $" + DownloadSettings.OFFLINE_ENV
                    + "), so " + expected.path() + " was not downloaded");
        }
        requireHttps(uri, expected.path());
        cancel.throwIfCancelled();
        Files.createDirectories(part.getParent());
        long existing = Files.isRegularFile(part) ? Files.size(part) : 0;
        if (expected.size() != null && existing > expected.size()) {
            deletePart(part);
            existing = 0;
        }
        boolean restarted = false;
        while (true) {
            Exchange exchange = open(uri, existing, expected.path());
            try {
                HttpResponse<InputStream> response = exchange.response;
                int status = response.statusCode();
                if (status == 416 && existing > 0) {
                    // The partial file is already complete or the range is stale: check it, else start over.
                    exchange.close();
                    if (expected.size() != null && existing == expected.size()) {
                        return finish(part, expected, existing, exchange);
                    }
                    deletePart(part);
                    existing = 0;
                    if (restarted) {
                        throw new GenAiException("the server refused the byte range of " + expected.path());
                    }
                    restarted = true;
                    continue;
                }
                if (status == 206 || status == 200) {
                    // A partial file is only resumed if the server still serves the same content.
                    String identity = exchange.identity();
                    String stored = readIdentity(part);
                    if (status == 206 && stored != null && identity != null && !stored.equals(identity)) {
                        exchange.close();
                        deletePart(part);
                        existing = 0;
                        if (restarted) {
                            throw new GenAiException("the server's content of " + expected.path()
                                    + " keeps changing; try again later");
                        }
                        restarted = true;
                        continue;
                    }
                    writeIdentity(part, identity);
                }
                long start;
                if (status == 206) {
                    Matcher range = CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
                    if (!range.matches() || Long.parseLong(range.group(1)) != existing) {
                        exchange.close();
                        deletePart(part);
                        existing = 0;
                        if (restarted) {
                            throw new GenAiException("the server answered a resume of " + expected.path()
                                    + " with the wrong byte range");
                        }
                        restarted = true;
                        continue;
                    }
                    start = existing;
                    if (!range.group(3).equals("*")) {
                        exchange.rangeTotal = Long.parseLong(range.group(3));
                    }
                } else if (status == 200) {
                    start = 0;
                } else {
                    exchange.close();
                    throw statusError(status, uri, expected.path());
                }
                return stream(exchange, part, start, expected, received, cancel);
            } finally {
                exchange.close();
            }
        }
    }

    private Result stream(Exchange exchange, Path part, long start, ModelFile expected, LongConsumer received,
            CancellationToken cancel) throws IOException {
        HttpResponse<InputStream> response = exchange.response;
        long announced = exchange.announcedSize(start);
        if (expected.size() != null && announced >= 0 && announced != expected.size()) {
            deletePart(part);
            throw new GenAiException("size mismatch for " + expected.path() + ": the catalogue says "
                    + expected.size() + " bytes, the server offers " + announced + "; nothing was installed");
        }
        long total = expected.size() != null ? expected.size() : announced;
        if (total >= 0) {
            requireDiskSpace(part, total - start);
        }
        MessageDigest digest = sha256();
        if (start > 0) {
            try (InputStream old = Files.newInputStream(part)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = old.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
        }
        AtomicLong lastByte = new AtomicLong(System.nanoTime());
        AtomicReference<String> stopReason = new AtomicReference<>();
        InputStream body = response.body();
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ij-genai download watchdog");
            thread.setDaemon(true);
            return thread;
        });
        long idleNanos = settings.idleTimeout().toNanos();
        // A blocked read cannot poll the token, so a watchdog closes the stream on cancel or a stalled server.
        ScheduledFuture<?> watch = watchdog.scheduleAtFixedRate(() -> {
            String reason = cancel.isCancelled() ? "cancelled"
                    : System.nanoTime() - lastByte.get() > idleNanos ? "idle" : null;
            if (reason != null && stopReason.compareAndSet(null, reason)) {
                closeQuietly(body);
            }
        }, 50, 50, TimeUnit.MILLISECONDS);
        long size = start;
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                start > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    if ("cancelled".equals(stopReason.get()) || cancel.isCancelled()) {
                        throw new CancelledException();
                    }
                    if ("idle".equals(stopReason.get())) {
                        throw new IOException("no data from the server for " + settings.idleTimeout().toSeconds()
                                + " s while fetching " + expected.path(), e);
                    }
                    throw e;
                }
                if (n < 0) {
                    break;
                }
                if (cancel.isCancelled()) {
                    throw new CancelledException();
                }
                lastByte.set(System.nanoTime());
                if (total >= 0 && size + n > total) {
                    out.close();
                    deletePart(part);
                    throw new GenAiException("size mismatch for " + expected.path() + ": the server sent more than"
                            + " the expected " + total + " bytes; nothing was installed");
                }
                out.write(ByteBuffer.wrap(buffer, 0, n));
                digest.update(buffer, 0, n);
                size += n;
                received.accept(n);
            }
        } finally {
            watch.cancel(false);
            watchdog.shutdownNow();
        }
        if ("cancelled".equals(stopReason.get())) {
            throw new CancelledException();
        }
        if (total >= 0 && size < total) {
            throw new IOException("the connection ended after " + size + " of " + total + " bytes of "
                    + expected.path());
        }
        return verify(part, expected, size, HexFormat.of().formatHex(digest.digest()), exchange);
    }

    private Result finish(Path part, ModelFile expected, long size, Exchange exchange) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(part)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return verify(part, expected, size, HexFormat.of().formatHex(digest.digest()), exchange);
    }

    private Result verify(Path part, ModelFile expected, long size, String sha256, Exchange exchange)
            throws IOException {
        Files.deleteIfExists(identityFile(part));
        if (expected.size() != null && size != expected.size()) {
            deletePart(part);
            throw new GenAiException("size mismatch for " + expected.path() + ": expected " + expected.size()
                    + " bytes, received " + size + "; nothing was installed");
        }
        String serverSha = exchange.serverSha256();
        if (expected.sha256() != null) {
            if (!expected.sha256().equals(sha256)) {
                deletePart(part);
                throw new GenAiException("checksum mismatch for " + expected.path() + ": the catalogue says SHA-256 "
                        + expected.sha256() + ", the received file has " + sha256
                        + "; the file was deleted and nothing was installed");
            }
            return new Result(size, sha256, Provenance.CATALOGUE, serverSha, exchange.repoCommit());
        }
        if (serverSha != null) {
            if (!serverSha.equals(sha256)) {
                deletePart(part);
                throw new GenAiException("checksum mismatch for " + expected.path() + ": the server announced SHA-256 "
                        + serverSha + ", the received file has " + sha256
                        + "; the file was deleted and nothing was installed");
            }
            return new Result(size, sha256, Provenance.SERVER, serverSha, exchange.repoCommit());
        }
        return new Result(size, sha256, Provenance.FIRST_USE, null, exchange.repoCommit());
    }

    /** Sends the request and follows redirects, keeping the hub's own headers from the first answer. */
    private Exchange open(URI uri, long existing, String file) throws IOException {
        return open(uri, existing, file, false);
    }

    /**
     * Sends the request, following redirects; with {@code sizeOnly}, a redirect that announces the size
     * (the hub's X-Linked-Size) is the answer, so that a size lookup never reaches the file's content.
     */
    private Exchange open(URI uri, long existing, String file, boolean sizeOnly) throws IOException {
        URI current = uri;
        HttpHeaders first = null;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current)
                    .GET()
                    .timeout(settings.connectTimeout().plus(settings.idleTimeout()))
                    .header("User-Agent", USER_AGENT)
                    .header("Accept-Encoding", "identity");
            if (existing > 0) {
                request.header("Range", "bytes=" + existing + "-");
            }
            Optional<HubToken> token = settings.token();
            if (token.isPresent() && sameOrigin(current, settings.hubUrl())) {
                request.header("Authorization", token.get().authorization());
            }
            HttpResponse<InputStream> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancelledException();
            } catch (javax.net.ssl.SSLException e) {
                throw new GenAiException("the TLS connection to " + current.getHost() + " failed (" + e.getMessage()
                        + "); if a proxy inspects HTTPS, add its certificate to Java's trust store", e);
            } catch (IOException e) {
                // Connection failures often carry no message; say which host and what kind of failure it was.
                throw new IOException("cannot reach " + current.getHost() + " (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); check the network and the"
                        + " proxy settings", e);
            }
            if (first == null) {
                first = response.headers();
            }
            int status = response.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                if (sizeOnly && response.headers().firstValue("X-Linked-Size").isPresent()) {
                    return new Exchange(response, first);
                }
                closeQuietly(response.body());
                String location = response.headers().firstValue("Location").orElseThrow(() -> new GenAiException(
                        "the server redirected " + file + " without saying where"));
                current = current.resolve(location);
                requireHttps(current, file);
                continue;
            }
            return new Exchange(response, first);
        }
        throw new GenAiException("too many redirects (more than " + MAX_REDIRECTS + ") while fetching " + file);
    }

    /**
     * The size the servers announce for {@code uri} (the hub's X-Linked-Size, else the transfer's length), without
     * downloading the file: the response is closed after its headers.
     *
     * @return bytes, or -1 when the servers do not say
     */
    long announcedSize(URI uri, String file) throws IOException {
        if (settings.offline()) {
            throw new GenAiException("offline mode is on (ijgenai.offline / $" + DownloadSettings.OFFLINE_ENV
                    + "), so the size of " + file + " was not looked up");
        }
        requireHttps(uri, file);
        try (Exchange exchange = open(uri, 0, file, true)) {
            int status = exchange.response.statusCode();
            if (status != 200 && status != 206 && status / 100 != 3) {
                throw statusError(status, uri, file);
            }
            return exchange.announcedSize(0);
        }
    }

    /** The sidecar that remembers which server content a partial file holds. */
    private static Path identityFile(Path part) {
        return part.resolveSibling(part.getFileName() + ".id");
    }

    private static String readIdentity(Path part) throws IOException {
        Path file = identityFile(part);
        return Files.isRegularFile(file) ? Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).trim()
                : null;
    }

    private static void writeIdentity(Path part, String identity) throws IOException {
        Path file = identityFile(part);
        if (identity == null) {
            Files.deleteIfExists(file);
        } else {
            Files.writeString(file, identity + "\n", java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Deletes a partial file and its sidecar. */
    static void deletePart(Path part) throws IOException {
        Files.deleteIfExists(part);
        Files.deleteIfExists(identityFile(part));
    }

    private static GenAiException statusError(int status, URI uri, String file) {
        String where = uri.getHost() + uri.getPath();
        return switch (status) {
            case 401, 403 -> new GenAiException("access to " + file + " was refused (HTTP " + status + "): the"
                    + " repository may be gated; accept its licence on its web page and set $HF_TOKEN or"
                    + " ~/.cache/huggingface/token");
            case 404 -> new GenAiException("not found (HTTP 404): " + where + " — check the repository, revision"
                    + " and file name in the catalogue");
            case 429, 500, 502, 503, 504 -> new RetryableStatus("the server answered HTTP " + status + " for " + file);
            default -> new GenAiException("the server answered HTTP " + status + " for " + file);
        };
    }

    private static void requireHttps(URI uri, String file) {
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("https")) {
            throw new GenAiException("refusing to fetch " + file + " over " + uri.getScheme()
                    + ": only https:// downloads are allowed (" + uri.getHost() + ")");
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : 443;
    }

    private static void requireDiskSpace(Path part, long needed) throws IOException {
        long usable = Files.getFileStore(part.getParent()).getUsableSpace();
        if (needed + DISK_RESERVE > usable) {
            throw new GenAiException("not enough disk space in " + part.getParent() + ": "
                    + DownloadProgress.bytes(needed) + " needed, " + DownloadProgress.bytes(usable) + " free");
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // Closing is best effort; the caller reports what went wrong with the transfer itself.
        }
    }

    /** A response with the headers of the first answer in its redirect chain (the hub's). */
    private static final class Exchange implements AutoCloseable {
        final HttpResponse<InputStream> response;
        final HttpHeaders hub;
        long rangeTotal = -1;

        Exchange(HttpResponse<InputStream> response, HttpHeaders hub) {
            this.response = response;
            this.hub = hub;
        }

        /** The full size the servers announced: X-Linked-Size, Content-Range total or Content-Length, or -1. */
        long announcedSize(long start) {
            Optional<String> linked = hub.firstValue("X-Linked-Size");
            if (linked.isPresent()) {
                try {
                    return Long.parseLong(linked.get().trim());
                } catch (NumberFormatException e) {
                    // Fall through to the transfer headers.
                }
            }
            if (rangeTotal >= 0) {
                return rangeTotal;
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            return length >= 0 ? start + length : -1;
        }

        /** The SHA-256 announced by the hub (X-Linked-Etag, else an ETag that is a SHA-256), or null. */
        String serverSha256() {
            for (String header : new String[] {"X-Linked-Etag", "ETag"}) {
                String value = etag(hub.firstValue(header).orElse(null));
                if (ModelFile.isSha256(value)) {
                    return value;
                }
            }
            String value = etag(response.headers().firstValue("ETag").orElse(null));
            return ModelFile.isSha256(value) ? value : null;
        }

        /** What identifies the content: the hub's X-Linked-Etag or ETag, else the final ETag or Last-Modified. */
        String identity() {
            for (Optional<String> value : List.of(hub.firstValue("X-Linked-Etag"), hub.firstValue("ETag"),
                    response.headers().firstValue("ETag"), response.headers().firstValue("Last-Modified"))) {
                if (value.isPresent() && !value.get().isBlank()) {
                    return value.get().trim().replaceAll("[\r\n]", "");
                }
            }
            return null;
        }

        String repoCommit() {
            return hub.firstValue("X-Repo-Commit").orElse(null);
        }

        private static String etag(String raw) {
            if (raw == null) {
                return null;
            }
            String value = raw.trim();
            if (value.startsWith("W/")) {
                value = value.substring(2);
            }
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            return value.toLowerCase(Locale.ROOT);
        }

        @Override
        public void close() {
            closeQuietly(response.body());
        }
    }

    /** An HTTP status that a later retry may not see again (rate limits, server errors). */
    static final class RetryableStatus extends GenAiException {
        private static final long serialVersionUID = 1L;

        RetryableStatus(String message) {
            super(message);
        }
    }

    /** The idle timeout in use, for messages. */
    Duration idleTimeout() {
        return settings.idleTimeout();
    }
}
