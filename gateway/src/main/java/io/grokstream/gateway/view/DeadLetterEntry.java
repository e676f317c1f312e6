package io.grokstream.gateway.view;

/** A record some consumer could not read, as the admin view lists it. */
public record DeadLetterEntry(long offset, String key, String reason, String originalTopic, Integer originalPartition,
                              Long originalOffset, String consumer, String ceType, String ceId, long timestamp,
                              int bytes) {
}
