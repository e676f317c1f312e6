package io.grokstream.contracts;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a {@link TopicFollower} does with a record its handler could not read (the handler threw): the follower
 * itself always goes on to the next record.
 */
@FunctionalInterface
public interface Unreadable {

    void handle(ConsumerRecord<String, byte[]> record, RuntimeException error);

    /** Logs the record and skips it: for a reader that is not the topic's keeper (the record is someone else's). */
    static Unreadable skip(String consumer) {
        return (record, error) -> log().log(System.Logger.Level.WARNING, "{0} skips unreadable {1}: {2}", consumer,
                where(record), error.getMessage());
    }

    /**
     * Sends the record to the dead-letter topic with the reason, and waits for the broker's acknowledgement; a
     * record that cannot be dead-lettered either is logged.
     */
    static Unreadable deadLetter(EventPublisher publisher, String consumer) {
        return (record, error) -> {
            log().log(System.Logger.Level.WARNING, "{0} dead-letters unreadable {1}: {2}", consumer, where(record),
                    error.getMessage());
            try {
                EventPublisher.await(publisher.send(DeadLetters.of(record, consumer, error)));
            } catch (RuntimeException failed) {
                log().log(System.Logger.Level.ERROR, consumer + " cannot dead-letter " + where(record), failed);
            }
        };
    }

    /** {@code topic[partition]@offset}. */
    static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "[" + record.partition() + "]@" + record.offset();
    }

    private static System.Logger log() {
        return System.getLogger(Unreadable.class.getName());
    }
}
