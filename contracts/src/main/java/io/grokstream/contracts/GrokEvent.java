package io.grokstream.contracts;

/**
 * Every JSON event on a grokstream topic. The subject is the aggregate id that keys the record (task id or
 * experiment id), so one aggregate's events keep their order in one partition.
 */
public interface GrokEvent {

    /** The aggregate id: the record key and the CloudEvents {@code ce_subject}. */
    String subject();

    /**
     * What makes this event unique within its type and subject, for a deterministic {@code ce_id} that consumers
     * deduplicate on (the step for step-level events). {@code null} gives a random id.
     */
    default String dedupeKey() {
        return null;
    }
}
