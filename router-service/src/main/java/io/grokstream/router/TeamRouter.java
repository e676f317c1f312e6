package io.grokstream.router;

import io.grokstream.contracts.Unreadable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where one record of an experiment goes: a copy for each topic its {@link Owner} may read, made of the record as it
 * is (key, value bytes, every header, its timestamp). The CloudEvents id ({@code ce_id}) travels with it, so a
 * team's consumer deduplicates the copies that a restart of the router repeats. A record that cannot be placed
 * (no key, an experiment unknown after the wait, a team without a topic) is skipped with one warning per
 * experiment or topic. Not thread-safe: the copy loop's thread alone uses it.
 */
final class TeamRouter {
    private static final Logger LOG = Logger.getLogger(TeamRouter.class);

    private final Owners owners;
    private final TargetTopics topics;
    private final Duration ownerWait;
    private final Set<String> warned = new HashSet<>();
    private long skipped;

    TeamRouter(Owners owners, TargetTopics topics, Duration ownerWait) {
        this.owners = owners;
        this.topics = topics;
        this.ownerWait = ownerWait;
    }

    /** The copies of {@code record}; none when it is skipped. */
    List<ProducerRecord<String, byte[]>> copiesOf(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            skip(record, "it has no key (experiment id)", null, null);
            return List.of();
        }
        Owner owner = owners.await(record.key(), ownerWait).orElse(null);
        if (owner == null) {
            skip(record, "experiment " + record.key() + " has no readable submission", "experiment", record.key());
            return List.of();
        }
        List<ProducerRecord<String, byte[]>> copies = new ArrayList<>(2);
        for (String target : owner.targets()) {
            if (topics.exists(target)) {
                copies.add(copy(record, target));
            } else {
                skip(record, "topic " + target + " does not exist (is team " + owner.team() + " provisioned?)",
                        "topic", target);
            }
        }
        return copies;
    }

    /** Records (or copies to one topic) skipped so far. */
    long skipped() {
        return skipped;
    }

    /** The record as it is, for {@code topic}; the headers copied, since the producer makes its records' read-only. */
    static ProducerRecord<String, byte[]> copy(ConsumerRecord<String, byte[]> record, String topic) {
        Long timestamp = record.timestamp() >= 0 ? record.timestamp() : null;
        return new ProducerRecord<>(topic, null, timestamp, record.key(), record.value(),
                new RecordHeaders(record.headers().toArray()));
    }

    /** Counts the skip; warns once per {@code kind} and {@code id} (every time when there is none). */
    private void skip(ConsumerRecord<String, byte[]> record, String why, String kind, String id) {
        skipped++;
        if (kind == null) {
            LOG.warnf("router skips %s: %s", Unreadable.where(record), why);
        } else if (warned.add(kind + " " + id)) {
            LOG.warnf("router skips %s: %s (said once per %s)", Unreadable.where(record), why, kind);
        }
    }
}
