package io.grokstream.gateway.auth;

import io.grokstream.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves an API key to its team. Keys are configured as SHA-256 hex only, so the configuration never holds a
 * usable key; a presented key is hashed and looked up.
 */
@ApplicationScoped
public class ApiKeys {
    private final Map<String, Caller> byHash = new HashMap<>();

    public ApiKeys(GatewayConfig config) {
        String admin = normalise(config.adminKeySha256(), "grokstream.gateway.admin-key-sha256");
        byHash.put(admin, new Caller(Caller.ADMIN_TEAM, true, admin));
        config.teams().forEach((team, t) -> {
            String hash = normalise(t.keySha256(), "grokstream.gateway.teams." + team + ".key-sha256");
            if (byHash.containsKey(hash)) {
                throw new IllegalStateException("team " + team + " shares its key with another team or the admin");
            }
            byHash.put(hash, new Caller(team, false, hash));
        });
    }

    public Optional<Caller> resolve(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(byHash.get(sha256(key)));
    }

    public boolean isTeam(String team) {
        return byHash.values().stream().anyMatch(c -> c.team().equals(team));
    }

    public static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String normalise(String hex, String property) {
        String h = hex.trim().toLowerCase(Locale.ROOT);
        if (!h.matches("[0-9a-f]{64}")) {
            throw new IllegalStateException(property + " must be 64 hex digits (a SHA-256), not a key");
        }
        return h;
    }
}
