package org.ijgenai.core.catalog;

import java.net.ProxySelector;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.ijgenai.core.GenAiException;

/**
 * How downloads reach the network: the hub's base address, the offline switch, the TLS trust, the proxy, time
 * limits, retries and the access token.
 *
 * @param hubUrl the Hugging Face base address; files come from {@code <hubUrl>/<repo>/resolve/<revision>/<path>}
 * @param offline when true, every download is refused before any connection is made
 * @param sslContext the TLS context (trust store); the JVM default for real use, a test's for loopback tests
 * @param proxy the proxy selector, or null for direct connections; the default honours Java's
 *        https.proxyHost/https.proxyPort/http.nonProxyHosts, else $HTTPS_PROXY and $NO_PROXY
 * @param connectTimeout the time allowed to open a connection
 * @param idleTimeout the longest pause between received bytes before the connection is dropped (and resumed)
 * @param retries how many times an interrupted file is resumed automatically
 * @param token the access token for gated repositories, if any; sent only to the hub's own host
 */
public record DownloadSettings(URI hubUrl, boolean offline, SSLContext sslContext, ProxySelector proxy,
        Duration connectTimeout, Duration idleTimeout, int retries, Optional<HubToken> token) {

    /** Environment variable (as in huggingface_hub) and system property {@code ijgenai.hub} for the hub address. */
    public static final String HUB_ENV = "HF_ENDPOINT";
    /** Environment variable and system property ({@code ijgenai.offline}) of the offline switch. */
    public static final String OFFLINE_ENV = "IJ_GENAI_OFFLINE";

    /** Checks the hub address is HTTPS and the limits are positive. */
    public DownloadSettings {
        if (hubUrl == null || !"https".equalsIgnoreCase(hubUrl.getScheme()) || hubUrl.getHost() == null) {
            throw new GenAiException("the hub address must be an https:// URL, was '" + hubUrl + "'");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be ≥ 0, was " + retries);
        }
        token = token == null ? Optional.empty() : token;
    }

    /**
     * The settings for real use: hub from {@code ijgenai.hub} / {@code $HF_ENDPOINT} (default
     * https://huggingface.co), offline from {@code ijgenai.offline} / {@code $IJ_GENAI_OFFLINE}, the JVM's TLS
     * trust, Java's proxy selector (or {@code $HTTPS_PROXY} when Java's proxy properties are unset), and the token
     * of {@link HubToken#find()}.
     */
    public static DownloadSettings defaults() {
        String hub = System.getProperty("ijgenai.hub");
        if (hub == null || hub.isBlank()) {
            hub = System.getenv(HUB_ENV);
        }
        if (hub == null || hub.isBlank()) {
            hub = "https://huggingface.co";
        }
        String offline = System.getProperty("ijgenai.offline");
        if (offline == null || offline.isBlank()) {
            offline = System.getenv(OFFLINE_ENV);
        }
        boolean isOffline = offline != null && (offline.equalsIgnoreCase("true") || offline.equals("1")
                || offline.equalsIgnoreCase("yes"));
        SSLContext ssl;
        try {
            ssl = SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new GenAiException("this Java has no TLS support, so models cannot be downloaded", e);
        }
        return new DownloadSettings(URI.create(hub.endsWith("/") ? hub.substring(0, hub.length() - 1) : hub),
                isOffline, ssl, EnvironmentProxy.choose(System.getenv(), ProxySelector.getDefault()),
                Duration.ofSeconds(20), Duration.ofSeconds(60), 3,
                HubToken.find());
    }

    /** A copy with the offline switch set. */
    public DownloadSettings withOffline(boolean value) {
        return new DownloadSettings(hubUrl, value, sslContext, proxy, connectTimeout, idleTimeout, retries, token);
    }

    /** A copy with another retry count. */
    public DownloadSettings withRetries(int value) {
        return new DownloadSettings(hubUrl, offline, sslContext, proxy, connectTimeout, idleTimeout, value, token);
    }

    /** A copy with another idle timeout. */
    public DownloadSettings withIdleTimeout(Duration value) {
        return new DownloadSettings(hubUrl, offline, sslContext, proxy, connectTimeout, value, retries, token);
    }

    /** A copy with another proxy selector (null for direct connections). */
    public DownloadSettings withProxy(ProxySelector value) {
        return new DownloadSettings(hubUrl, offline, sslContext, value, connectTimeout, idleTimeout, retries, token);
    }

    /** A copy with another token. */
    public DownloadSettings withToken(HubToken value) {
        return new DownloadSettings(hubUrl, offline, sslContext, proxy, connectTimeout, idleTimeout, retries,
                Optional.ofNullable(value));
    }

    /** The download address of {@code path} in a Hugging Face repository at {@code revision}. */
    public URI resolveUrl(String repo, String revision, String path) {
        String base = hubUrl.toString();
        // A revision such as refs/pr/1 is one path segment in the hub's URL form, so its slashes are escaped.
        return URI.create(base + "/" + repo + "/resolve/" + encodeSegment(revision) + "/" + encodePath(path));
    }

    private static String encodePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(encodeSegment(segment));
        }
        return out.toString();
    }

    private static String encodeSegment(String segment) {
        return java.net.URLEncoder.encode(segment, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
