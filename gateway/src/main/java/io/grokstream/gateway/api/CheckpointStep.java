package io.grokstream.gateway.api;

import io.grokstream.gateway.view.ViewState;

/** The {@code {step}} of a checkpoint route: a non-negative integer at which the experiment has a checkpoint. */
final class CheckpointStep {
    private CheckpointStep() {
    }

    /**
     * @param unknownStatus the status when the experiment has no checkpoint at that step (404 for a resource, 400
     *                      where the step is an argument)
     * @throws ApiException 400 naming {@code step} when it is not a non-negative integer, {@code unknownStatus} when
     *                      there is no checkpoint there
     */
    static long of(ViewState views, String id, String step, int unknownStatus) {
        long s;
        try {
            s = Long.parseLong(step);
        } catch (NumberFormatException ex) {
            throw ApiException.badRequest("step", "step must be a non-negative integer, got " + step);
        }
        if (s < 0) {
            throw ApiException.badRequest("step", "step must be a non-negative integer, got " + step);
        }
        if (!views.hasCheckpoint(id, s)) {
            throw new ApiException(unknownStatus, "experiment " + id + " has no checkpoint at step " + s
                    + "; see GET /api/experiments/" + id + "/checkpoints", "step");
        }
        return s;
    }
}
