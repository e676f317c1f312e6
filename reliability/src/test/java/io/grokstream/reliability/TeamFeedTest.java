package io.grokstream.reliability;

import io.grokstream.contracts.CloudEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TeamFeedTest {

    @Test
    void theEventIdsOfAnExperimentAreThoseOfTheRecordsKeyedByIt() {
        List<ConsumerRecord<String, byte[]>> records = List.of(
                record("exp-1", "a"), record("exp-2", "b"), record("exp-1", "c"), record("exp-1", null));
        assertEquals(Set.of("a", "c"), TeamFeed.eventIds(records, "exp-1"), "a record without ce_id is no event");
    }

    @Test
    void aCopyRepeatedByTheRouterCountsOnce() {
        assertEquals(Set.of("a"), TeamFeed.eventIds(List.of(record("exp-1", "a"), record("exp-1", "a")), "exp-1"));
    }

    @Test
    void whatTheTeamTopicLacksIsMissingAndWhatItHoldsBesidesIsNot() {
        assertEquals(Set.of("b"), TeamFeed.missing(Set.of("a", "b"), Set.of("a", "z")));
        assertEquals(Set.of(), TeamFeed.missing(Set.of("a"), Set.of("a", "b")));
    }

    private static ConsumerRecord<String, byte[]> record(String key, String ceId) {
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>("grokstream.team.demo.v1", 0, 0, key,
                "{}".getBytes(StandardCharsets.UTF_8));
        if (ceId != null) {
            CloudEvents.put(r.headers(), CloudEvents.ID, ceId);
        }
        return r;
    }
}
