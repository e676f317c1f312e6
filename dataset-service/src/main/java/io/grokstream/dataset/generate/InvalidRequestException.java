package io.grokstream.dataset.generate;

/**
 * A request that breaks a rule: carries the offending field and the HTTP status the REST layer answers with
 * (400 by default, 413 for oversized uploads), so every refusal names the field and the rule.
 */
public class InvalidRequestException extends RuntimeException {
    private final String field;
    private final int status;

    public InvalidRequestException(String field, String message) {
        this(field, message, 400);
    }

    public InvalidRequestException(String field, String message, int status) {
        super(message);
        this.field = field;
        this.status = status;
    }

    public String field() {
        return field;
    }

    public int status() {
        return status;
    }
}
