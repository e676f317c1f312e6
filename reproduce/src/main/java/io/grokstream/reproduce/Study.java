package io.grokstream.reproduce;

import java.util.List;
import java.util.Map;

/**
 * A named study from the literature: which experiments it needs at a given scale, and how their data becomes a
 * report whose claims are checked against the paper's.
 */
public interface Study {
    /** The command-line name: nanda, grokfast, miiii, exponents, primality. */
    String name();

    String title();

    /** The paper(s) and what the study re-derives, one paragraph. */
    String summary();

    /** What {@code scale} means for this study (said in the report). */
    String scaleNote(Scale scale);

    List<StudyRun> runs(Scale scale);

    /**
     * Whether the study reads {@link RunData#retrospective}: every snapshot re-measured by the analysis service with
     * the final key frequencies (hundreds of snapshots, minutes of analysis), so only studies that use it ask.
     */
    default boolean retrospective() {
        return false;
    }

    /** Adds the study's results, figures and checked claims to {@code report}; {@code runs} by run key. */
    void analyse(Map<String, RunData> runs, Scale scale, Report report);
}
