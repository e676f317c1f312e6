package io.grokstream.contracts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The service key: the shared secret every request to an internal service (dataset, trainer, analysis) carries in
 * the {@value #HEADER} header; only {@code /q/health} is open without it. The services read it from their
 * configuration ({@code service-kit}'s {@code ServiceKeySource}); the operators' drivers (reliability) find it in the
 * environment ({@link #fromEnvironment}). Teams never hold it: the gateway asks the internal services for them.
 */
public final class ServiceCredential {
    /** The request header that carries the service key. */
    public static final String HEADER = "X-Service-Key";
    /** The key itself. */
    public static final String KEY_VARIABLE = "GROKSTREAM_SERVICE_KEY";
    /** A file holding the key (surrounding whitespace is not part of it). */
    public static final String KEY_FILE_VARIABLE = "GROKSTREAM_SERVICE_KEY_FILE";
    /** Where {@code ./grokstream up} writes the development key, under {@code GROKSTREAM_HOME}. */
    public static final String DEFAULT_FILE = "credentials/service.key";

    private ServiceCredential() {
    }

    /** The key a file holds, without surrounding whitespace (a trailing newline). */
    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service key file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The key for a caller: {@value #KEY_VARIABLE}, else the file {@value #KEY_FILE_VARIABLE} names, else
     * {@code $GROKSTREAM_HOME/}{@value #DEFAULT_FILE} ({@code GROKSTREAM_HOME} defaulting to {@code ~/.grokstream});
     * empty when none is set and no such file exists.
     */
    public static Optional<String> fromEnvironment(Map<String, String> env) {
        String key = env.get(KEY_VARIABLE);
        if (key != null && !key.isBlank()) {
            return Optional.of(key.strip());
        }
        String named = env.get(KEY_FILE_VARIABLE);
        Path file = named != null && !named.isBlank() ? Path.of(named)
                : Path.of(env.getOrDefault("GROKSTREAM_HOME", System.getProperty("user.home") + "/.grokstream"))
                        .resolve(DEFAULT_FILE);
        return Files.isRegularFile(file) ? Optional.of(read(file)).filter(k -> !k.isEmpty()) : Optional.empty();
    }

    /** Where {@link #fromEnvironment} looks, for a message that says why no key was found. */
    public static String sources() {
        return KEY_VARIABLE + ", the file " + KEY_FILE_VARIABLE + " names, or $GROKSTREAM_HOME/" + DEFAULT_FILE;
    }
}
