package io.grokstream.contracts;

/** A record no reader can use; consumers send it to {@link Topics#DEADLETTER} and keep going. */
public class UnreadableRecordException extends RuntimeException {
    public UnreadableRecordException(String message) {
        super(message);
    }

    public UnreadableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
