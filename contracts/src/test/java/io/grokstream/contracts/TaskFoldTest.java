package io.grokstream.contracts;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskFoldTest {

    private static TaskDefined task(String id, int p) {
        return new TaskDefined(id, "modular", Map.of("p", p), List.of("0", "1", "="), 3,
                List.of(new TaskDefined.Target("sum", 2, p, "out", 1.0)), new TaskDefined.Residues(p, 0, 1),
                new TaskDefined.TaskData(new int[][]{{0, 1, 2}}, new int[][]{{1}}, new int[]{0}), "sha-" + id, List.of(), List.of(),
                Instant.EPOCH);
    }

    private static ConsumerRecord<String, byte[]> record(String key, TaskDefined task) {
        if (task == null) {
            return new ConsumerRecord<>(Topics.TASKS, 0, 0, key, null);
        }
        var r = EventCodec.toRecord(task, "/test");
        ConsumerRecord<String, byte[]> c = new ConsumerRecord<>(Topics.TASKS, 0, 0, key, r.value());
        r.headers().forEach(h -> c.headers().add(h));
        return c;
    }

    @Test
    void theLastRecordOfATaskWinsAndATombstoneRemovesIt() {
        TaskFold fold = new TaskFold();
        fold.accept(record("t", task("t", 7)));
        fold.accept(record("t", task("t", 11)));
        assertEquals(11, fold.get("t").orElseThrow().parameters().get("p"));
        fold.accept(record("t", null));
        assertEquals(Optional.empty(), fold.get("t"));
        assertEquals(0, fold.size());
    }

    @Test
    void anUnreadableRecordIsRefusedAndFoldsNothing() {
        TaskFold fold = new TaskFold();
        assertThrows(RuntimeException.class,
                () -> fold.accept(new ConsumerRecord<>(Topics.TASKS, 0, 0, "t", "not json".getBytes())));
        assertEquals(0, fold.size());
    }

    @Test
    void aWaiterGetsATaskFoldedWhileItWaitsAndGivesUpWhenTheFoldStops() throws Exception {
        TaskFold fold = new TaskFold();
        CompletableFuture<Optional<TaskDefined>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return fold.await("late", Duration.ofSeconds(30), () -> true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        fold.put(task("late", 7));
        assertTrue(waiting.get(10, TimeUnit.SECONDS).isPresent());

        long t0 = System.nanoTime();
        assertEquals(Optional.empty(), fold.await("never", Duration.ofSeconds(30), () -> false));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "a stopped fold is not waited for");
        assertEquals(Optional.empty(), fold.await("never", Duration.ofMillis(50), () -> true));
    }
}
