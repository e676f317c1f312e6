package io.grokstream.gateway.auth;

/**
 * Who is calling: a team, or the operators ({@code admin}). {@code keyId} is the key's hash, the rate limiter's
 * bucket name.
 */
public record Caller(String team, boolean admin, String keyId) {
    public static final String ADMIN_TEAM = "admin";

    /** Whether this caller may read an experiment of {@code owner} with the given public flag. */
    public boolean canRead(String owner, boolean publicRead) {
        return admin || publicRead || team.equals(owner);
    }

    /** Whether this caller may change (cancel) an experiment of {@code owner}. */
    public boolean canWrite(String owner) {
        return admin || team.equals(owner);
    }
}
