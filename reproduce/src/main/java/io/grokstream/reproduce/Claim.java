package io.grokstream.reproduce;

/**
 * One claim of a paper, checked against this run's data. A report states what the data shows: a claim that does
 * not hold is reported as such, never dropped.
 *
 * @param statement what the paper says, in one sentence
 * @param verdict   held, not held, or no data to decide
 * @param evidence  the figures that decided it ("restricted loss < 1.0 at step 1,400 < test loss at 4,900")
 */
public record Claim(String statement, Verdict verdict, String evidence) {
    public enum Verdict {
        HELD("held"), NOT_HELD("not held"), NO_DATA("no data"),
        /** The run left the paper's setup (the report's setup table says how), so it cannot refute the claim. */
        NOT_TESTED("not tested at the paper's setup");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Claim {
        if (statement == null || statement.isBlank()) {
            throw new IllegalArgumentException("a claim needs a statement");
        }
        if (verdict == null) {
            throw new IllegalArgumentException("claim '" + statement + "' needs a verdict");
        }
        evidence = evidence == null ? "" : evidence;
    }

    public static Claim of(String statement, boolean held, String evidence) {
        return new Claim(statement, held ? Verdict.HELD : Verdict.NOT_HELD, evidence);
    }

    public static Claim noData(String statement, String why) {
        return new Claim(statement, Verdict.NO_DATA, why);
    }

    /**
     * A claim checked on a run: held or not held when the run is at the paper's setup ({@code atPaperSetup}), else
     * "not tested at the paper's setup", with what the run showed kept in the evidence. A run off the paper's
     * setup never refutes a claim made about that setup.
     */
    public static Claim checked(boolean atPaperSetup, String statement, boolean held, String evidence) {
        if (atPaperSetup) {
            return of(statement, held, evidence);
        }
        return new Claim(statement, Verdict.NOT_TESTED, "off the paper's setup (see the setup table); on this run "
                + (held ? "it held" : "it did not hold") + ": " + evidence);
    }
}
