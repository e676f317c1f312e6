package io.grokstream.gateway.view;

import io.grokstream.contracts.CloudEvents;
import io.grokstream.contracts.DeadLetters;
import io.grokstream.gateway.view.ViewStore.Family;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The dead-letter view: the newest {@code max} entries in heap for the admin list, every entry and the coordinates
 * already dead-lettered in the store (so a restart neither forgets nor repeats one). Guarded by {@link ViewState}'s
 * lock.
 */
final class DeadLetterLog {
    private static final byte[] TOTAL = ViewStore.key("dead-letter-total");

    private final ViewStore store;
    private final int max;
    private final Deque<DeadLetterEntry> newest = new ArrayDeque<>();
    private long total;

    DeadLetterLog(ViewStore store, int max) {
        this.store = store;
        this.max = max;
        this.total = ViewStore.longOf(store.get(Family.META, TOTAL));
        store.forEach(Family.DEAD_LETTERS, (k, v) -> keep(ViewCodec.read(v, DeadLetterEntry.class)));
    }

    void fold(ConsumerRecord<String, byte[]> r, ViewStore.Batch batch) {
        String topic = CloudEvents.get(r.headers(), DeadLetters.ORIGINAL_TOPIC).orElse(null);
        Integer partition = CloudEvents.get(r.headers(), DeadLetters.ORIGINAL_PARTITION).map(DeadLetterLog::intOrNull)
                .orElse(null);
        Long offset = CloudEvents.get(r.headers(), DeadLetters.ORIGINAL_OFFSET).map(DeadLetterLog::longOrNull).orElse(null);
        String consumer = CloudEvents.get(r.headers(), DeadLetters.CONSUMER).orElse(null);
        DeadLetterEntry e = new DeadLetterEntry(r.offset(), r.key(),
                CloudEvents.get(r.headers(), DeadLetters.REASON).orElse(null), topic, partition, offset, consumer,
                CloudEvents.type(r.headers()).orElse(null), CloudEvents.id(r.headers()).orElse(null), r.timestamp(),
                r.value() == null ? 0 : r.value().length);
        total++;
        keep(e);
        batch.put(Family.META, TOTAL, ViewStore.longBytes(total))
                .put(Family.DEAD_LETTERS, ViewStore.longBytes(total), ViewCodec.json(e))
                .put(Family.DEAD_LETTERED, coordinates(consumer, topic, partition, offset), new byte[0]);
    }

    private void keep(DeadLetterEntry e) {
        newest.addLast(e);
        while (newest.size() > max) {
            newest.removeFirst();
        }
    }

    boolean alreadyDeadLettered(String consumer, String topic, int partition, long offset) {
        return store.contains(Family.DEAD_LETTERED, coordinates(consumer, topic, partition, offset));
    }

    List<DeadLetterEntry> newest() {
        return List.copyOf(newest);
    }

    long total() {
        return total;
    }

    private static byte[] coordinates(String consumer, String topic, Integer partition, Long offset) {
        return ViewStore.key(consumer + "|" + topic + "|" + partition + "|" + offset);
    }

    private static Integer intOrNull(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long longOrNull(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
