package io.grokstream.contracts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServiceCredentialTest {

    @Test
    void keyInTheEnvironmentWinsOverEveryFile(@TempDir Path home) throws Exception {
        Path file = Files.writeString(home.resolve("named.key"), "from-file");
        assertEquals(Optional.of("direct"), ServiceCredential.fromEnvironment(Map.of(ServiceCredential.KEY_VARIABLE, "direct",
                ServiceCredential.KEY_FILE_VARIABLE, file.toString(), "GROKSTREAM_HOME", home.toString())));
    }

    @Test
    void namedFileIsReadTrimmed(@TempDir Path home) throws Exception {
        Path file = Files.writeString(home.resolve("named.key"), "abc123\n");
        assertEquals(Optional.of("abc123"), ServiceCredential.fromEnvironment(Map.of(ServiceCredential.KEY_FILE_VARIABLE,
                file.toString())));
    }

    @Test
    void upsDevelopmentKeyUnderTheHomeIsTheFallback(@TempDir Path home) throws Exception {
        Path file = home.resolve(ServiceCredential.DEFAULT_FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "dev-key\n");
        assertEquals(Optional.of("dev-key"), ServiceCredential.fromEnvironment(Map.of("GROKSTREAM_HOME", home.toString())));
    }

    @Test
    void noKeyAnywhereIsEmpty(@TempDir Path home) {
        assertEquals(Optional.empty(), ServiceCredential.fromEnvironment(Map.of("GROKSTREAM_HOME", home.toString())));
        assertEquals(Optional.empty(), ServiceCredential.fromEnvironment(Map.of(ServiceCredential.KEY_FILE_VARIABLE,
                home.resolve("absent").toString())));
    }
}
