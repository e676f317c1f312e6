package io.grokstream.gateway.webhook;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a webhook may point: an absolute {@code http} or {@code https} URL without credentials; and, unless private
 * targets are allowed (the dev and test profiles), a host whose every address is public. A webhook aimed at
 * loopback, a private network, link-local (the cloud metadata address 169.254.169.254) or carrier-grade NAT space
 * would let a team make the gateway call into the platform's own network (server-side request forgery). Checked at
 * registration and again before every attempt, since a name can resolve elsewhere later.
 */
public final class TargetPolicy {
    /** The longest URL accepted. */
    public static final int MAX_URL_LENGTH = 2048;

    private final boolean allowPrivate;

    public TargetPolicy(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** Why {@code url} is refused, or empty when it may be called. */
    public Optional<String> refusal(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("url is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            return Optional.of("url must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("url is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("url must be http or https, got " + (scheme.isEmpty() ? "no scheme" : scheme));
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return Optional.of("url must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("url must not carry credentials");
        }
        return allowPrivate ? Optional.empty() : publicHost(uri.getHost());
    }

    private static Optional<String> publicHost(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return Optional.of("url's host " + host + " does not resolve");
        }
        for (InetAddress a : addresses) {
            if (isPrivate(a)) {
                return Optional.of("url's host " + host + " is a private, loopback or link-local address ("
                        + a.getHostAddress() + "); webhooks go to public addresses only");
            }
        }
        return Optional.empty();
    }

    /** Loopback, wildcard, link-local, site-local, multicast, IPv6 unique-local (fc00::/7), or 100.64.0.0/10. */
    static boolean isPrivate(InetAddress a) {
        byte[] b = a.getAddress();
        boolean uniqueLocal = b.length == 16 && (b[0] & 0xfe) == 0xfc;
        boolean sharedNat = a instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        return a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress() || uniqueLocal || sharedNat;
    }
}
