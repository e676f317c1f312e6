package io.grokstream.reliability;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaAttemptTest {

    @Test
    void anAttemptRefusedAsExpectedHoldsAndItsLineSaysWhatWasTriedAndWhatHappened() {
        KafkaAttempt a = new KafkaAttempt("team-rival reads grokstream.team.demo.v1", BrokerAnswer.Kind.NOT_AUTHORIZED,
                new BrokerAnswer(BrokerAnswer.Kind.NOT_AUTHORIZED, "TopicAuthorizationException: Not authorized"));
        assertTrue(a.held());
        assertEquals("Kafka: team-rival reads grokstream.team.demo.v1: refused: not authorized "
                + "(TopicAuthorizationException: Not authorized)", a.line());
    }

    @Test
    void aDoorThatLetsThroughWhatItShouldRefuseDoesNotHoldAndSaysWhatWasExpected() {
        KafkaAttempt a = new KafkaAttempt("gateway writes grokstream.training.v1", BrokerAnswer.Kind.NOT_AUTHORIZED,
                BrokerAnswer.letThrough("written at grokstream.training.v1-3 offset 17"));
        assertFalse(a.held());
        assertTrue(a.line().endsWith("; expected: refused: not authorized"), a.line());
    }

    @Test
    void aRefusalAtLoginIsNotTheAclRefusalThatWasExpected() {
        // a principal whose password is wrong never reaches the ACLs: that is not the door under test
        KafkaAttempt a = new KafkaAttempt("team-rival reads grokstream.training.v1", BrokerAnswer.Kind.NOT_AUTHORIZED,
                new BrokerAnswer(BrokerAnswer.Kind.NOT_AUTHENTICATED, "SaslAuthenticationException"));
        assertFalse(a.held());
    }

    @Test
    void recordingAnAttemptAddsItsLineAsACheckOfTheOutcome() {
        Outcome out = new Outcome(6, "isolation", "Team isolation");
        KafkaAttempt a = new KafkaAttempt("an anonymous client lists the topics", BrokerAnswer.Kind.UNANSWERED,
                new BrokerAnswer(BrokerAnswer.Kind.UNANSWERED, "TimeoutException: Timed out"));
        assertTrue(a.record(out));
        assertEquals(Boolean.TRUE, out.checks.get(a.line()));
    }
}
