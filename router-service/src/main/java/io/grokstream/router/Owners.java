package io.grokstream.router;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.TopicFollower;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.Unreadable;
import io.grokstream.service.KafkaTopology;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who owns each experiment: a fold of {@code grokstream.experiments.v1} from the beginning, experiment id to
 * {@link Owner} (team, public or not), from each {@link ExperimentSubmitted}. Folded from the beginning at every
 * start, not through the copy loop's consumer group, because the copy loop resumes at its committed offsets and
 * would never see again the submissions of experiments that still train. Unreadable records are skipped: the
 * gateway, the topic's keeper, dead-letters them.
 */
@ApplicationScoped
public class Owners {
    static final String CONSUMER_NAME = "grokstream-router-owners";
    private static final Logger LOG = Logger.getLogger(Owners.class);

    private final KafkaTopology topology;
    private final Map<String, Owner> owners = new ConcurrentHashMap<>();
    /** Experiments waited for in vain: their later records are skipped at once instead of each waiting again. */
    private final Set<String> givenUp = ConcurrentHashMap.newKeySet();
    /** Notified whenever an owner is learned, to wake {@link #await}. */
    private final Object learned = new Object();
    private volatile TopicFollower follower;

    public Owners(KafkaTopology topology) {
        this.topology = topology;
    }

    /** Before the copy loop's start-up observer (the default priority), which waits for this fold. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent started) {
        follower = TopicFollower.follow(topology.access(), CONSUMER_NAME, Topics.EXPERIMENTS)
                .onRecord(this::apply)
                .unreadable(Unreadable.skip(CONSUMER_NAME))
                .onCaughtUp(() -> LOG.infof("owners folded: %d experiments", owners.size()))
                .retryStart(Duration.ofSeconds(5))
                .start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        TopicFollower f = follower;
        if (f != null) {
            f.close();
        }
    }

    /**
     * Folds one record of the experiments topic; other events than submissions (cancellations) say nothing of the
     * owner.
     *
     * @throws RuntimeException when the record is unreadable, or its team has no name a topic can carry
     */
    void apply(ConsumerRecord<String, byte[]> record) {
        GrokEvent event = EventCodec.decode(record.headers(), record.value());
        if (event instanceof ExperimentSubmitted s) {
            learn(s.experimentId(), new Owner(s.team(), s.publicRead()));
        }
    }

    /** The first submission of an id decides its owner, as in the gateway's views: a later one cannot move it. */
    void learn(String experimentId, Owner owner) {
        Owner before = owners.putIfAbsent(experimentId, owner);
        if (before != null && !before.equals(owner)) {
            LOG.warnf("experiment %s submitted again as %s; it stays %s's", experimentId, owner, before);
        }
        synchronized (learned) {
            learned.notifyAll();
        }
    }

    /**
     * The experiment's owner, waiting up to {@code wait} for the fold to learn it; an experiment given up on once is
     * not waited for again.
     *
     * @return empty when it is still unknown
     */
    Optional<Owner> await(String experimentId, Duration wait) {
        Owner owner = owners.get(experimentId);
        if (owner != null || givenUp.contains(experimentId)) {
            return Optional.ofNullable(owner);
        }
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (learned) {
            while ((owner = owners.get(experimentId)) == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    givenUp.add(experimentId);
                    return Optional.empty();
                }
                try {
                    learned.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
        return Optional.of(owner);
    }

    /**
     * Waits until the fold has read the experiments topic up to the end it had at start.
     *
     * @return false when {@code timeout} passed first, or the fold has stopped ({@link #stopped()})
     */
    boolean awaitCaughtUp(Duration timeout) {
        TopicFollower f = follower;
        if (f == null) { // not started yet: wait a little rather than let a caller spin
            try {
                Thread.sleep(Math.min(timeout.toMillis(), 100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
        return f.awaitCaughtUp(timeout);
    }

    /** Whether the fold follows the topic (it has started and not died). */
    boolean alive() {
        TopicFollower f = follower;
        return f != null && f.alive();
    }

    /** Whether the fold started and then stopped: it will learn no more owners. */
    boolean stopped() {
        TopicFollower f = follower;
        return f != null && !f.alive();
    }

    /** How many experiments it knows. */
    int size() {
        return owners.size();
    }
}
