package io.grokstream.router;

import io.grokstream.contracts.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where a record goes, without a broker. */
class TeamRouterTest {
    final Owners owners = new Owners(null);
    final TeamRouter router = new TeamRouter(owners,
            new TargetTopics(() -> Set.of(Topics.teamTopic("demo"), Topics.teamTopic("rival"), Topics.PUBLIC),
                    Duration.ofSeconds(30)),
            Duration.ofMillis(50));

    @Test
    void aPrivateExperimentsRecordIsCopiedToItsTeamsTopicOnly() {
        owners.learn("exp-1", new Owner("demo", false));

        assertEquals(List.of(Topics.teamTopic("demo")), targets(router.copiesOf(record("exp-1"))));
    }

    @Test
    void aPublicExperimentsRecordIsCopiedToItsTeamsTopicAndThePublicOne() {
        owners.learn("exp-2", new Owner("rival", true));

        assertEquals(List.of(Topics.teamTopic("rival"), Topics.PUBLIC), targets(router.copiesOf(record("exp-2"))));
    }

    @Test
    void aCopyIsTheRecordAsItIsWithItsHeadersAndTimestamp() {
        owners.learn("exp-3", new Owner("demo", false));
        ConsumerRecord<String, byte[]> original = record("exp-3");

        ProducerRecord<String, byte[]> copy = router.copiesOf(original).get(0);

        assertEquals("exp-3", copy.key());
        assertArrayEquals(original.value(), copy.value());
        assertArrayEquals(original.headers().toArray(), copy.headers().toArray());
        assertEquals(original.timestamp(), copy.timestamp());
        assertEquals(null, copy.partition());
    }

    @Test
    void recordsThatCannotBePlacedAreSkippedAndCounted() {
        owners.learn("exp-new-team", new Owner("newcomer", false)); // a team the provisioner has no topic for

        assertEquals(List.of(), router.copiesOf(record(null)));
        assertEquals(List.of(), router.copiesOf(record("exp-never-submitted")));
        assertEquals(List.of(), router.copiesOf(record("exp-new-team")));
        assertEquals(3, router.skipped());
        assertEquals(Optional.empty(), owners.await("exp-never-submitted", Duration.ZERO));
    }

    private static List<String> targets(List<ProducerRecord<String, byte[]>> copies) {
        return copies.stream().map(ProducerRecord::topic).toList();
    }

    private static ConsumerRecord<String, byte[]> record(String key) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", "grokstream.training.metrics.v1/exp/10".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", "grokstream.training.metrics.v1".getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>(Topics.TRAINING, 3, 42, 1_700_000_000_000L, TimestampType.CREATE_TIME, -1, -1, key,
                "{\"step\":10}".getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
    }
}
