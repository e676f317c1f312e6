package io.grokstream.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceKeySourceTest {

    @Test
    void keyFileIsReadWithoutItsTrailingNewline(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("service.key"), "  0123abcd\n");
        ServiceKey key = ServiceKeySource.resolve(Optional.empty(), Optional.of(file.toString()));
        assertEquals("0123abcd", key.value());
        assertTrue(key.matches("0123abcd"));
        assertFalse(key.matches("0123abcd\n"));
        assertFalse(key.matches("0123abc"));
        assertFalse(key.matches(null));
    }

    @Test
    void keyGivenDirectlyWinsOverTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("service.key"), "from-file");
        assertEquals("direct", ServiceKeySource.resolve(Optional.of("direct"), Optional.of(file.toString())).value());
    }

    @Test
    void noKeyRefusesToStartNamingBothSettings() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ServiceKeySource.resolve(Optional.empty(), Optional.empty()));
        assertTrue(e.getMessage().contains(ServiceKeySource.KEY) && e.getMessage().contains(ServiceKeySource.KEY_FILE),
                e.getMessage());
    }

    @Test
    void missingOrEmptyKeyFileRefusesToStart(@TempDir Path dir) throws Exception {
        assertThrows(IllegalStateException.class,
                () -> ServiceKeySource.resolve(Optional.empty(), Optional.of(dir.resolve("absent").toString())));
        Path empty = Files.writeString(dir.resolve("empty"), " \n");
        assertThrows(IllegalStateException.class, () -> ServiceKeySource.resolve(Optional.empty(), Optional.of(empty.toString())));
    }

    @Test
    void keyIsNeverPrinted() {
        assertFalse(ServiceKeySource.resolve(Optional.of("secret"), Optional.empty()).toString().contains("secret"));
    }
}
