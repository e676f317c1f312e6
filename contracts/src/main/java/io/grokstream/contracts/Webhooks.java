package io.grokstream.contracts;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * How a webhook delivery is signed, for the gateway that sends it and for a receiver that checks it: the body is
 * signed with the webhook's secret as {@value #SCHEME}{@code <hex HMAC-SHA256 of "<timestamp>.<body>">} in
 * {@value #SIGNATURE_HEADER}, the timestamp (Unix seconds) in {@value #TIMESTAMP_HEADER} so a receiver can refuse
 * an old replay, and the delivery's id in {@value #DELIVERY_HEADER} (the same for every retry of one delivery).
 */
public final class Webhooks {
    public static final String SIGNATURE_HEADER = "X-Grokstream-Signature";
    public static final String TIMESTAMP_HEADER = "X-Grokstream-Timestamp";
    public static final String DELIVERY_HEADER = "X-Grokstream-Delivery";
    /** The signature's prefix: the algorithm, as in {@code sha256=<hex>}. */
    public static final String SCHEME = "sha256=";
    private static final String HMAC = "HmacSHA256";

    private Webhooks() {
    }

    /** {@value #SCHEME} and the hex HMAC-SHA256, keyed by {@code secret}, of {@code "<timestamp>.<body>"}. */
    public static String signature(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return SCHEME + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** Whether {@code signature} is this body's, compared in constant time. */
    public static boolean verify(String secret, long timestamp, byte[] body, String signature) {
        return signature != null && MessageDigest.isEqual(
                signature(secret, timestamp, body).getBytes(StandardCharsets.UTF_8),
                signature.getBytes(StandardCharsets.UTF_8));
    }
}
