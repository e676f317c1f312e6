package io.grokstream.gateway.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.grokstream.contracts.EventCodec;
import io.grokstream.gateway.auth.Caller;
import io.grokstream.gateway.view.LiveEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Fans the fold's changes out to Server-Sent-Event subscribers. A subscriber gets its current state first and
 * then every change it may see; state and registration happen under the same lock the fold publishes under, so
 * no change falls between the two (a change may arrive twice: clients dedupe by step).
 */
@ApplicationScoped
public class LiveHub {
    private final Object lock = new Object();
    private final List<Subscriber> subscribers = new ArrayList<>();

    /** One open stream: one experiment's, or (experimentId null) everything its caller may read. */
    private record Subscriber(Caller caller, String experimentId, SseEventSink sink, Sse sse) {
        boolean wants(LiveEvent e) {
            if (experimentId != null) {
                return experimentId.equals(e.experimentId());
            }
            return e.team() != null && caller.canRead(e.team(), e.publicRead());
        }
    }

    public void subscribe(Caller caller, String experimentId, SseEventSink sink, Sse sse, Supplier<Object> state) {
        Subscriber s = new Subscriber(caller, experimentId, sink, sse);
        synchronized (lock) {
            send(s, LiveEvent.STATE, json(state.get()));
            subscribers.add(s);
        }
    }

    public void publish(List<LiveEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (subscribers.isEmpty()) {
                return;
            }
            for (LiveEvent e : events) {
                String data = null;
                for (Subscriber s : List.copyOf(subscribers)) {
                    if (s.wants(e)) {
                        data = data == null ? json(e.data()) : data;
                        send(s, e.name(), data);
                    }
                }
            }
        }
    }

    public int subscriberCount() {
        synchronized (lock) {
            subscribers.removeIf(s -> s.sink().isClosed());
            return subscribers.size();
        }
    }

    private void send(Subscriber s, String name, String data) {
        if (s.sink().isClosed()) {
            subscribers.remove(s);
            return;
        }
        s.sink().send(s.sse().newEventBuilder().name(name).mediaType(MediaType.TEXT_PLAIN_TYPE).data(data).build())
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        synchronized (lock) {
                            subscribers.remove(s);
                        }
                        s.sink().close();
                    }
                });
    }

    private static String json(Object data) {
        try {
            return EventCodec.JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode live event: " + e.getOriginalMessage(), e);
        }
    }
}
