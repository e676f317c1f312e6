package io.grokstream.reliability;

/**
 * One thing tried at the live broker, what should happen and what did: a line of the isolation scenario's outcome.
 *
 * @param tried    as whom and what, e.g. {@code team-rival reads grokstream.team.demo.v1}
 * @param expected the ending that keeps the door shut (or, for a principal reading what it may, open)
 * @param answer   how it ended
 */
record KafkaAttempt(String tried, BrokerAnswer.Kind expected, BrokerAnswer answer) {

    boolean held() {
        return answer.kind() == expected;
    }

    /** {@code Kafka: <tried>: <how it ended>}, and what was expected when that is not what happened. */
    String line() {
        return "Kafka: " + tried + ": " + answer.describe() + (held() ? "" : "; expected: " + expected.words);
    }

    /** Records this attempt as a check of {@code out}; returns whether it held. */
    boolean record(Outcome out) {
        return out.check(line(), held());
    }
}
