package io.grokstream.client;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerSentEventsTest {

    @Test
    void eventsAreDispatchedAtBlankLinesWithTheirNamesAndJoinedData() {
        List<String> seen = new ArrayList<>();
        boolean stopped = ServerSentEvents.read(List.of(
                ": a comment", "event: metrics", "data: {\"step\": 10}", "",
                "data: first", "data:second", "id: 7", "",
                "event: status", "").iterator(), (name, data) -> {
                    seen.add(name + "=" + data);
                    return GatewayClient.Next.MORE;
                });
        assertFalse(stopped, "the lines ended");
        assertEquals(List.of("metrics={\"step\": 10}", "message=first\nsecond"), seen,
                "an event with no data line is not dispatched");
    }

    @Test
    void theSinkStopsTheStream() {
        List<String> seen = new ArrayList<>();
        boolean stopped = ServerSentEvents.read(List.of("event: a", "data: 1", "", "event: b", "data: 2", "").iterator(),
                (name, data) -> {
                    seen.add(name);
                    return GatewayClient.Next.STOP;
                });
        assertTrue(stopped);
        assertEquals(List.of("a"), seen);
    }
}
