package io.grokstream.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * This deployment's service key ({@link io.grokstream.contracts.ServiceCredential}): what an internal service checks
 * on every request, and what a caller of one sends. Compared in constant time; never printed.
 */
public final class ServiceKey {
    private final String value;
    private final byte[] bytes;

    ServiceKey(String value) {
        this.value = value;
        this.bytes = value.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code presented} is this key; the time taken does not depend on where they differ. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(bytes, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The key, for a caller to send in the header. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return "ServiceKey[redacted]";
    }
}
