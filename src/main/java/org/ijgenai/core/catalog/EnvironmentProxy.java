package org.ijgenai.core.catalog;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proxy of the conventional {@code HTTPS_PROXY} / {@code NO_PROXY} environment variables, used when Java's own
 * proxy properties are not set, so the CLI behaves like curl and pip behind a corporate proxy.
 */
final class EnvironmentProxy extends ProxySelector {

    private final Proxy proxy;
    private final List<String> exclusions;

    private EnvironmentProxy(Proxy proxy, List<String> exclusions) {
        this.proxy = proxy;
        this.exclusions = exclusions;
    }

    /**
     * The selector to use: Java's default when {@code https.proxyHost} or {@code java.net.useSystemProxies} is set
     * or no {@code HTTPS_PROXY} is given, else one for {@code HTTPS_PROXY} that skips the {@code NO_PROXY} hosts.
     */
    static ProxySelector choose(Map<String, String> env, ProxySelector javaDefault) {
        if (System.getProperty("https.proxyHost") != null || Boolean.getBoolean("java.net.useSystemProxies")) {
            return javaDefault;
        }
        String value = first(env, "HTTPS_PROXY", "https_proxy");
        if (value == null) {
            return javaDefault;
        }
        URI uri = URI.create(value.contains("://") ? value : "http://" + value);
        if (uri.getHost() == null) {
            return javaDefault;
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        List<String> exclusions = new ArrayList<>();
        String noProxy = first(env, "NO_PROXY", "no_proxy");
        if (noProxy != null) {
            for (String host : noProxy.split(",")) {
                String h = host.trim().toLowerCase(Locale.ROOT);
                if (!h.isEmpty()) {
                    exclusions.add(h.startsWith("*.") ? h.substring(1) : h);
                }
            }
        }
        return new EnvironmentProxy(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(uri.getHost(),
                port)), exclusions);
    }

    private static String first(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }

    @Override
    public List<Proxy> select(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        for (String excluded : exclusions) {
            if (excluded.equals("*") || host.equals(excluded) || (excluded.startsWith(".") && host.endsWith(excluded))
                    || host.endsWith("." + excluded)) {
                return List.of(Proxy.NO_PROXY);
            }
        }
        return List.of(proxy);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException e) {
        // The download reports the failure itself; there is no alternative proxy to fall back to.
    }
}
