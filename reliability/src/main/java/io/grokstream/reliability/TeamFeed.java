package io.grokstream.reliability;

import io.grokstream.contracts.CloudEvents;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An experiment as its team sees it on Kafka. The router copies the events of a team's experiments from the
 * experiments, training and measures topics to the team's topic ({@link Topics#teamTopic}), headers included, so an
 * event keeps its CloudEvents id there. The team's view is complete when every event of the experiment on those
 * topics is on the team's topic.
 */
final class TeamFeed {
    /** The internal topics whose events of a team's experiments the team's topic holds. */
    static final List<String> SOURCES = List.of(Topics.EXPERIMENTS, Topics.TRAINING, Topics.MEASURES);
    private static final long POLL_MILLIS = 2_000;

    private TeamFeed() {
    }

    /** The CloudEvents ids of the records keyed {@code experimentId} (records without one are not events). */
    static Set<String> eventIds(Iterable<ConsumerRecord<String, byte[]>> records, String experimentId) {
        Set<String> ids = new TreeSet<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            if (experimentId.equals(r.key())) {
                CloudEvents.id(r.headers()).ifPresent(ids::add);
            }
        }
        return ids;
    }

    /** The events of {@code internal} that {@code routed} lacks. */
    static Set<String> missing(Set<String> internal, Set<String> routed) {
        Set<String> m = new TreeSet<>(internal);
        m.removeAll(routed);
        return m;
    }

    /**
     * Reads {@code team}'s topic as the team until it holds every event of {@code experimentId} that the internal
     * topics hold (read as the operator), for at most {@code limit}.
     *
     * @return the attempt: let through with the count when complete; the refusal, or what was missing, otherwise
     */
    static KafkaAttempt await(Platform platform, String team, KafkaAccess teamAccess, String experimentId, Duration limit) {
        String topic = Topics.teamTopic(team);
        String tried = teamAccess.username() + " reads its private experiment's events on " + topic;
        long t0 = System.nanoTime();
        while (true) {
            Set<String> internal = new TreeSet<>();
            for (String source : SOURCES) {
                internal.addAll(eventIds(platform.readAll(source), experimentId));
            }
            KafkaProbe.Read read = KafkaProbe.read(teamAccess, topic);
            if (read.answer().kind() != BrokerAnswer.Kind.LET_THROUGH) {
                return new KafkaAttempt(tried, BrokerAnswer.Kind.LET_THROUGH, read.answer());
            }
            Set<String> routed = eventIds(read.records(), experimentId);
            Set<String> missing = missing(internal, routed);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!internal.isEmpty() && missing.isEmpty()) {
                return new KafkaAttempt(tried, BrokerAnswer.Kind.LET_THROUGH, BrokerAnswer.letThrough(String.format(
                        "all %d of its events on %s there, within %.0f s", internal.size(), String.join(", ", SOURCES),
                        seconds)));
            }
            if (seconds > limit.toSeconds()) {
                return new KafkaAttempt(tried, BrokerAnswer.Kind.LET_THROUGH, new BrokerAnswer(BrokerAnswer.Kind.FAILED,
                        String.format("%d of its %d events on %s there after %.0f s, missing e.g. %s",
                                internal.size() - missing.size(),
                                internal.size(), String.join(", ", SOURCES), seconds,
                                missing.stream().limit(3).toList())));
            }
            Api.sleep(POLL_MILLIS);
        }
    }
}
