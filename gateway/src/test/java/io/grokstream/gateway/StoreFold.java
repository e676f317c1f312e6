package io.grokstream.gateway;

import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.TopicFollower;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.Unreadable;
import io.grokstream.gateway.view.LiveEvent;
import io.grokstream.gateway.view.SnapshotStore;
import io.grokstream.gateway.view.ViewState;
import io.grokstream.gateway.view.ViewStore;
import io.grokstream.kafka.KafkaBrokerResource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gateway's view fold outside Quarkus, as {@code EventFolder} wires it: a {@link ViewState} on a RocksDB store in
 * {@code directory}, fed by a {@link TopicFollower} of the gateway's topics (as the gateway's own Kafka user) that
 * resumes from the store's offsets. Counts the records it folds and keeps the live events it produced (what SSE
 * streams).
 */
final class StoreFold implements AutoCloseable {
    final ViewState views;
    final AtomicLong folded = new AtomicLong();
    final List<LiveEvent> live = new CopyOnWriteArrayList<>();
    /** What the gateway derives after each fold (its forecast watch), none unless a test sets it. */
    volatile java.util.function.UnaryOperator<List<LiveEvent>> derive = events -> List.of();
    private final ViewStore store;
    private final TopicFollower follower;

    StoreFold(Path directory, String name) {
        this.store = ViewStore.open(directory.resolve("views"), 8 << 20, 1 << 20);
        this.views = new ViewState(store, new SnapshotStore(directory.resolve("snapshots"), Long.MAX_VALUE), 1000);
        this.follower = TopicFollower.follow(KafkaBrokerResource.access(KafkaUser.GATEWAY), name,
                        Topics.readableBy(KafkaUser.GATEWAY))
                .pollEvery(Duration.ofMillis(100))
                .resumeFrom(views::offsets)
                .onRecord(r -> {
                    List<LiveEvent> events = views.apply(r);
                    live.addAll(events);
                    live.addAll(derive.apply(events));
                    folded.incrementAndGet();
                })
                .unreadable((r, e) -> {
                    Unreadable.skip(name).handle(r, e);
                    views.passOver(r);
                })
                .start();
    }

    boolean awaitCaughtUp() {
        return follower.awaitCaughtUp(Duration.ofSeconds(60));
    }

    @Override
    public void close() {
        follower.close();
        store.close();
    }
}
