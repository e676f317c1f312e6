package io.grokstream.gateway.api;

import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.gateway.auth.Caller;
import io.grokstream.gateway.view.EventFolder;
import io.grokstream.gateway.view.StepRange;
import io.grokstream.gateway.view.ViewState;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The read rule in one place: a team sees its own experiments and public ones, the admin sees all; anything
 * else is a 404 exactly like a missing experiment, so an id's existence never leaks across teams.
 */
@ApplicationScoped
public class Access {
    private final ViewState views;

    public Access(EventFolder folder) {
        this.views = folder.state();
    }

    public ExperimentSubmitted readable(String experimentId, Caller caller) {
        ExperimentSubmitted e = views.submission(experimentId).orElse(null);
        if (e == null || !caller.canRead(e.team(), e.publicRead())) {
            throw ApiException.notFound("experimentId", "no experiment " + experimentId);
        }
        return e;
    }

    public void requireAdmin(Caller caller) {
        if (!caller.admin()) {
            throw new ApiException(403, "this endpoint needs the admin key", "X-API-Key");
        }
    }

    /**
     * The {@code from} and {@code to} query parameters: the steps a zoomed chart asks for, both included; either
     * may be absent (from the first step, to the last).
     */
    public static StepRange stepRange(String from, String to) {
        long f = step("from", from, 0);
        long t = step("to", to, Long.MAX_VALUE);
        if (t < f) {
            throw ApiException.badRequest("to", "to must not be below from, got from=" + f + " to=" + t);
        }
        return new StepRange(f, t);
    }

    private static long step(String field, String raw, long absent) {
        if (raw == null || raw.isBlank()) {
            return absent;
        }
        long v;
        try {
            v = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(field, field + " must be an integer step, got " + raw);
        }
        if (v < 0) {
            throw ApiException.badRequest(field, field + " must be a step >= 0, got " + v);
        }
        return v;
    }

    /** The {@code maxPoints} query parameter: absent, or an integer in [2, 1000000]. */
    public static Integer maxPoints(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        int maxPoints;
        try {
            maxPoints = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("maxPoints", "maxPoints must be an integer, got " + raw);
        }
        if (maxPoints < 2 || maxPoints > 1_000_000) {
            throw ApiException.badRequest("maxPoints", "maxPoints must be in [2, 1000000], got " + maxPoints);
        }
        return maxPoints;
    }
}
