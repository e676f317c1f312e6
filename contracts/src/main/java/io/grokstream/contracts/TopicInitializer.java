package io.grokstream.contracts;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates every topic of {@link Topics#ALL} with its configs, and brings the configs of existing topics up to
 * date. Idempotent; every service runs it at start-up so no topic is ever auto-created with broker defaults.
 */
public final class TopicInitializer {
    private static final System.Logger LOG = System.getLogger(TopicInitializer.class.getName());

    private TopicInitializer() {
    }

    /**
     * A created topic reaches the broker's metadata a moment after the controller acknowledges it (longer with many
     * partitions): wait until every topic is listed, so a caller's first consumer finds it.
     */
    private static void awaitVisible(Admin admin, Collection<Topics.TopicSpec> specs)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = specs.stream().map(Topics.TopicSpec::name).toList();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!admin.listTopics().names().get(60, TimeUnit.SECONDS).containsAll(names)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topics not visible within 60 s: " + names);
            }
            Thread.sleep(50);
        }
    }

    /** Existing topics keep their partition count (changing it would move keys); a difference is reported. */
    private static void warnOnPartitionCounts(Admin admin, Collection<Topics.TopicSpec> specs, Set<String> existing)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = specs.stream().map(Topics.TopicSpec::name).filter(existing::contains).toList();
        if (names.isEmpty()) {
            return;
        }
        var described = admin.describeTopics(names).allTopicNames().get(60, TimeUnit.SECONDS);
        for (Topics.TopicSpec spec : specs) {
            var d = described.get(spec.name());
            if (d != null && d.partitions().size() != spec.partitions()) {
                LOG.log(System.Logger.Level.WARNING, "topic {0} has {1} partitions, the configuration says {2}; "
                        + "left as it is (see the README on choosing partition counts)", spec.name(),
                        d.partitions().size(), spec.partitions());
            }
        }
    }

    /** Creates or updates every topic of {@link Topics#ALL} (an operator's or an unsecured cluster's job). */
    public static void ensureTopics(KafkaAccess access) {
        try (Admin admin = Admin.create(KafkaSettings.admin(access))) {
            ensureTopics(admin, Topics.ALL);
        }
    }

    /**
     * Waits until every topic {@code user} reads or writes exists: on the secured broker the provisioner creates the
     * topics, and a service only checks that they are there before its consumers start.
     *
     * @throws IllegalStateException when they are not there within {@code timeout}
     */
    public static void awaitTopics(KafkaAccess access, KafkaUser user, Duration timeout) {
        List<Topics.TopicSpec> mine = Topics.ALL.stream()
                .filter(t -> t.writers().contains(user) || t.readers().contains(user)).toList();
        try (Admin admin = Admin.create(KafkaSettings.admin(access))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                try {
                    awaitVisible(admin, mine);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the topics of " + user.username() + " are not on the broker "
                                + "(has the provisioner run?): " + e.getMessage(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the topics", e);
        }
    }

    public static void ensureTopics(Admin admin, Collection<Topics.TopicSpec> specs) {
        try {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            warnOnPartitionCounts(admin, specs, existing);
            List<NewTopic> missing = new ArrayList<>();
            Map<ConfigResource, Collection<AlterConfigOp>> updates = new HashMap<>();
            for (Topics.TopicSpec spec : specs) {
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(spec.configs()));
                } else {
                    List<AlterConfigOp> ops = spec.configs().entrySet().stream()
                            .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                            .toList();
                    updates.put(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()), ops);
                }
            }
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            if (!updates.isEmpty()) {
                admin.incrementalAlterConfigs(updates).all().get(60, TimeUnit.SECONDS);
            }
            awaitVisible(admin, specs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create grokstream topics: " + e.getMessage(), e);
        }
    }
}
