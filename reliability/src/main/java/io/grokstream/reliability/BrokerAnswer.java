package io.grokstream.reliability;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.DisconnectException;

/**
 * How one attempt at the broker ended, named: let through, refused for want of an ACL, refused at login, or left
 * unanswered (the client timed out or was disconnected: what a client that does not authenticate on a SASL
 * listener sees, since the broker closes its connection).
 *
 * @param kind   the ending
 * @param detail what the client said: what it got, or the exception that ended it
 */
record BrokerAnswer(Kind kind, String detail) {

    enum Kind {
        LET_THROUGH("let through"),
        NOT_AUTHORIZED("refused: not authorized"),
        NOT_AUTHENTICATED("refused at login"),
        UNANSWERED("no answer (timed out or disconnected)"),
        FAILED("failed otherwise");

        final String words;

        Kind(String words) {
            this.words = words;
        }
    }

    private static final int DETAIL_LENGTH = 160;

    /** An attempt that succeeded: {@code detail} says what it got. */
    static BrokerAnswer letThrough(String detail) {
        return new BrokerAnswer(Kind.LET_THROUGH, detail);
    }

    /**
     * The ending a failure names: the first exception in its cause chain that is a refusal or an unanswered call
     * (a client wraps them in {@code ExecutionException} or {@code KafkaException}); {@link Kind#FAILED} when none is.
     */
    static BrokerAnswer of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Kind k = kindOf(t);
            if (k != null) {
                return new BrokerAnswer(k, named(t));
            }
        }
        return new BrokerAnswer(Kind.FAILED, named(failure));
    }

    private static Kind kindOf(Throwable t) {
        if (t instanceof AuthorizationException) {
            return Kind.NOT_AUTHORIZED;
        }
        if (t instanceof AuthenticationException) {
            return Kind.NOT_AUTHENTICATED;
        }
        if (t instanceof org.apache.kafka.common.errors.TimeoutException || t instanceof DisconnectException
                || t instanceof java.util.concurrent.TimeoutException) {
            return Kind.UNANSWERED;
        }
        return null;
    }

    /** {@code SimpleName: message}, the message cut to a report line's length. */
    static String named(Throwable t) {
        String message = t.getMessage() == null ? "" : ": " + t.getMessage().replaceAll("\\s+", " ").trim();
        if (message.length() > DETAIL_LENGTH) {
            message = message.substring(0, DETAIL_LENGTH) + "...";
        }
        return t.getClass().getSimpleName() + message;
    }

    /** {@code refused: not authorized (TopicAuthorizationException: ...)}. */
    String describe() {
        return kind.words + " (" + detail + ")";
    }
}
