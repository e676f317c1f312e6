package io.grokstream.trainer.worker;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceHintTest {

    @Test
    void aDeviceOtherThanTheHintIsAMismatchAndAutoAcceptsAnyDevice() {
        assertTrue(KafkaTrainingListener.mismatch("gpu", "cpu()"));
        assertTrue(KafkaTrainingListener.mismatch("cpu", "gpu(0)"));
        assertFalse(KafkaTrainingListener.mismatch("gpu", "gpu(0)"));
        assertFalse(KafkaTrainingListener.mismatch("cpu", "cpu()"));
        assertFalse(KafkaTrainingListener.mismatch("auto", "gpu(1)"));
        assertFalse(KafkaTrainingListener.mismatch("auto", "cpu()"));
    }

    @Test
    void anUnknownDeviceHintConcurrencyLockOrDeliveryLimitIsRejectedNamingTheSetting() {
        var limits = ResourceLimits.withBudget(1L << 30);
        var device = assertThrows(IllegalArgumentException.class, () -> new WorkerSettings("w", "trainers", 1,
                Duration.ofSeconds(1), "tpu", limits, Duration.ofSeconds(1), Duration.ofSeconds(15), 4));
        assertTrue(device.getMessage().contains("grokstream.trainer.device"), device.getMessage());
        var concurrency = assertThrows(IllegalArgumentException.class, () -> new WorkerSettings("w", "trainers", 0,
                Duration.ofSeconds(1), "auto", limits, Duration.ofSeconds(1), Duration.ofSeconds(15), 4));
        assertTrue(concurrency.getMessage().contains("grokstream.trainer.concurrency"), concurrency.getMessage());
        var lock = assertThrows(IllegalArgumentException.class, () -> new WorkerSettings("w", "trainers", 1,
                Duration.ofSeconds(1), "auto", limits, Duration.ofSeconds(1), Duration.ofMillis(10), 4));
        assertTrue(lock.getMessage().contains("grokstream.trainer.lock-duration"), lock.getMessage());
        var deliveries = assertThrows(IllegalArgumentException.class, () -> new WorkerSettings("w", "trainers", 1,
                Duration.ofSeconds(1), "auto", limits, Duration.ofSeconds(1), Duration.ofSeconds(15), 10));
        assertTrue(deliveries.getMessage().contains("grokstream.trainer.max-deliveries"), deliveries.getMessage());
    }
}
