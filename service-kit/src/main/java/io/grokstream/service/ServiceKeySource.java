package io.grokstream.service;

import io.grokstream.contracts.ServiceCredential;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the service key at start-up from {@value #KEY} (environment {@code GROKSTREAM_SERVICE_KEY}), else from the
 * file {@value #KEY_FILE} names ({@code GROKSTREAM_SERVICE_KEY_FILE}). Every service needs it, to check it (the
 * internal services) or to send it (the gateway), so a service without one refuses to start.
 */
@Singleton
class ServiceKeySource {
    static final String KEY = "grokstream.service.key";
    static final String KEY_FILE = "grokstream.service.key-file";

    @Produces
    @Singleton
    @Startup
    ServiceKey serviceKey(@ConfigProperty(name = KEY) Optional<String> key,
                          @ConfigProperty(name = KEY_FILE) Optional<String> file) {
        return resolve(key, file);
    }

    static ServiceKey resolve(Optional<String> key, Optional<String> file) {
        if (key.isPresent() && !key.get().isBlank()) {
            return new ServiceKey(key.get().strip());
        }
        if (file.isEmpty() || file.get().isBlank()) {
            throw new IllegalStateException("no service key: set " + KEY + " (" + ServiceCredential.KEY_VARIABLE
                    + ") or " + KEY_FILE + " (" + ServiceCredential.KEY_FILE_VARIABLE + "); ./grokstream up writes one to "
                    + "$GROKSTREAM_HOME/" + ServiceCredential.DEFAULT_FILE);
        }
        Path path = Path.of(file.get());
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("no service key: " + KEY_FILE + " names " + path + ", which is not a file");
        }
        String value = ServiceCredential.read(path);
        if (value.isEmpty()) {
            throw new IllegalStateException("no service key: the file " + path + " (" + KEY_FILE + ") is empty");
        }
        return new ServiceKey(value);
    }
}
