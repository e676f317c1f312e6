package io.grokstream.reliability;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerAnswerTest {

    @Test
    void aTopicAuthorizationFailureInsideAnExecutionExceptionIsARefusalForWantOfAnAcl() {
        BrokerAnswer a = BrokerAnswer.of(new ExecutionException(
                new TopicAuthorizationException(Set.of("grokstream.training.v1"))));
        assertEquals(BrokerAnswer.Kind.NOT_AUTHORIZED, a.kind());
        assertTrue(a.detail().startsWith("TopicAuthorizationException: "), a.detail());
        assertTrue(a.describe().startsWith("refused: not authorized (TopicAuthorizationException"), a.describe());
    }

    @Test
    void aGroupAuthorizationFailureWrappedByTheClientIsARefusalToo() {
        assertEquals(BrokerAnswer.Kind.NOT_AUTHORIZED,
                BrokerAnswer.of(new KafkaException("poll", new GroupAuthorizationException("rival.stolen"))).kind());
    }

    @Test
    void aSaslAuthenticationFailureIsARefusalAtLogin() {
        BrokerAnswer a = BrokerAnswer.of(new ExecutionException(new SaslAuthenticationException(
                "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512")));
        assertEquals(BrokerAnswer.Kind.NOT_AUTHENTICATED, a.kind());
        assertTrue(a.describe().startsWith("refused at login (SaslAuthenticationException: Authentication failed"));
    }

    @Test
    void aTimeoutWaitingForTheBrokerOrADisconnectIsUnanswered() {
        assertEquals(BrokerAnswer.Kind.UNANSWERED, BrokerAnswer.of(new ExecutionException(
                new TimeoutException("Timed out waiting for a node assignment. Call: listTopics"))).kind());
        assertEquals(BrokerAnswer.Kind.UNANSWERED, BrokerAnswer.of(new DisconnectException("closed")).kind());
        assertEquals(BrokerAnswer.Kind.UNANSWERED,
                BrokerAnswer.of(new java.util.concurrent.TimeoutException()).kind());
    }

    @Test
    void anErrorThatIsNeitherARefusalNorATimeoutFailedOtherwiseAndIsNamed() {
        BrokerAnswer a = BrokerAnswer.of(new ExecutionException(new IllegalStateException("boom")));
        assertEquals(BrokerAnswer.Kind.FAILED, a.kind());
        assertEquals("ExecutionException: java.lang.IllegalStateException: boom", a.detail());
    }

    @Test
    void aLongMessageIsCutAndItsWhitespaceFolded() {
        String detail = BrokerAnswer.named(new IllegalStateException("a\n  b " + "x".repeat(500)));
        assertTrue(detail.startsWith("IllegalStateException: a b x"), detail);
        assertTrue(detail.endsWith("...") && detail.length() < 200, detail);
    }
}
