package io.grokstream.dataset.generate;

/**
 * The service's size limits, from configuration: no task may materialise more than {@code maxRows} rows, and
 * moduli stay at or below {@code maxP}.
 */
public record Limits(int maxRows, int maxP) {
    public Limits {
        if (maxRows < 2 || maxP < 2) {
            throw new IllegalArgumentException("limits must be at least 2, got maxRows=" + maxRows + " maxP=" + maxP);
        }
    }

    /** Refuses a task of {@code rows} rows, blaming {@code field} (the parameter that makes it that big). */
    public void checkRows(String field, long rows) {
        if (rows > maxRows) {
            throw new InvalidRequestException(field, String.format(
                    "%s makes %,d rows, more than the maximum of %,d (grokstream.dataset.max-rows)",
                    field, rows, maxRows));
        }
    }

    /** Checks that {@code p} is a prime no larger than {@link #maxP}. */
    public void checkPrimeModulus(String field, int p) {
        if (p > maxP) {
            throw new InvalidRequestException(field, field + " must be at most " + maxP + ", got " + p);
        }
        if (!NumberTheory.isPrime(p)) {
            throw new InvalidRequestException(field, field + " must be prime, got " + p);
        }
    }
}
