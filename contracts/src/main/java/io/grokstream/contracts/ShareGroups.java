package io.grokstream.contracts;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Kafka share groups (KIP-932, Kafka 4.2) as grokstream uses them: a queue over a topic where any free member takes
 * the next waiting record and holds it under an acquisition lock until it acknowledges it. The group's settings are
 * written by the code that consumes ({@link #configure}), never left to broker defaults:
 * <ul>
 *   <li>{@value #AUTO_OFFSET_RESET} {@code earliest}: a new group starts at the oldest waiting record (the broker's
 *       default, {@code latest}, would skip everything submitted before the first member joined; it is read only
 *       when a share-partition is first initialised, so it is set before the first member polls);</li>
 *   <li>{@value #LOCK_DURATION}: how long a record stays with a member that neither acknowledges nor renews it;
 *       it must lie within the broker's {@code group.share.min/max.record.lock.duration.ms} (15 s and 60 s by
 *       default).</li>
 * </ul>
 * The delivery-count limit is a broker setting in 4.2 ({@code group.share.delivery.count.limit}, default 5, range
 * 2-10): a record acquired that many times is archived. Every acquisition counts, a renewal does not.
 */
public final class ShareGroups {
    public static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";
    public static final String LOCK_DURATION = "share.record.lock.duration.ms";

    private ShareGroups() {
    }

    /**
     * Sets {@code group}'s start position ({@code earliest}) and acquisition-lock duration. Idempotent.
     *
     * @throws IllegalStateException when the broker refuses (for example a lock outside its bounds)
     */
    public static void configure(KafkaAccess access, String group, Duration lock) {
        try (Admin admin = Admin.create(KafkaSettings.admin(access))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(
                    set(AUTO_OFFSET_RESET, "earliest"),
                    set(LOCK_DURATION, Long.toString(lock.toMillis()))))).all().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while configuring share group " + group, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot configure share group " + group + " (lock " + lock + "): "
                    + e.getMessage(), e);
        }
    }

    private static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
    }
}
