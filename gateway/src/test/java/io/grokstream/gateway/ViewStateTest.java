package io.grokstream.gateway;

import io.grokstream.contracts.ExperimentCancelled;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.PhaseDetected;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.contracts.TrainingStarted;
import io.grokstream.gateway.view.ExperimentSummary;
import io.grokstream.gateway.view.LiveEvent;
import io.grokstream.gateway.view.ViewState;
import io.grokstream.model.ModelConfig;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fold's status rules and deduplication, event by event, without a broker. */
class ViewStateTest {
    private final ViewState views = new ViewState(null, 10);
    private int ids;

    private List<LiveEvent> apply(Object event) {
        return views.apply((io.grokstream.contracts.GrokEvent) event, "id-" + ids++);
    }

    private static ExperimentSubmitted submitted(String id) {
        return new ExperimentSubmitted(id, "demo", id, "task", "sha", ModelConfig.nanda(7),
                NandaPreset.optimizer(), ExperimentSubmitted.GrokFastConfig.none(),
                new ExperimentSubmitted.TrainingBudget(100, null), 0, ExperimentSubmitted.Cadence.defaults(), false,
                null, null, Instant.EPOCH);
    }

    private String status(String id) {
        return views.summary(id).orElseThrow().status();
    }

    @Test
    void lifecycleRunsSubmittedRunningCompleted() {
        apply(submitted("e"));
        assertEquals("submitted", status("e"));
        apply(new TrainingStarted("e", "w", "cpu", 0, Instant.EPOCH));
        assertEquals("running", status("e"));
        apply(Fixtures.metrics("e", 40, 1.0, 0.5));
        assertEquals(40, views.summary("e").orElseThrow().step());
        apply(new TrainingCompleted("e", 100, 0, 0, 1, 1, 30L, 90L, "budget", Instant.EPOCH));
        ExperimentSummary s = views.summary("e").orElseThrow();
        assertEquals("completed", s.status());
        assertEquals(90L, s.grokStep());
        assertNull(s.etaSeconds(), "no ETA once finished");
    }

    @Test
    void cancelBeforeStartStaysCancelledWhenTheWorkerStillStarts() {
        apply(submitted("c"));
        apply(new ExperimentCancelled("c", "demo", "oops", Instant.EPOCH));
        apply(new TrainingStarted("c", "w", "cpu", 0, Instant.EPOCH));
        assertEquals("cancelled", status("c"));
        apply(new TrainingCompleted("c", 3, 0, 0, 0, 0, null, null, "cancelled", Instant.EPOCH));
        assertEquals("cancelled", status("c"));
    }

    @Test
    void failedRunResumedOnAnotherWorkerRunsAgain() {
        apply(submitted("f"));
        apply(new TrainingFailed("f", 10, "worker lost", Instant.EPOCH));
        assertEquals("failed", status("f"));
        apply(new TrainingStarted("f", "w2", "cuda:0", 500, Instant.EPOCH));
        assertEquals("running", status("f"));
        assertEquals("cuda:0", views.detail("f").orElseThrow().device());
    }

    @Test
    void sameCloudEventIdIsFoldedOnce() {
        apply(submitted("d"));
        List<LiveEvent> first = views.apply(Fixtures.metrics("d", 10, 0.1, 0.1), "same");
        List<LiveEvent> again = views.apply(Fixtures.metrics("d", 20, 0.1, 0.1), "same");
        assertTrue(first.stream().anyMatch(e -> e.name().equals("metrics")));
        assertTrue(again.isEmpty(), "a redelivered record changes nothing");
        assertEquals(1, views.metrics("d").size());
    }

    @Test
    void analysisPhasesOutrankTheMetricThresholds() {
        apply(submitted("p"));
        apply(Fixtures.metrics("p", 50, 1.0, 1.0)); // thresholds alone: memorised 50, grokked 50
        assertEquals(50L, views.summary("p").orElseThrow().grokStep());
        apply(new PhaseDetected("p", "grokked", 45, "restricted loss fell", "2"));
        apply(new PhaseDetected("p", "grokked", 60, "older analysis", "1"));
        assertEquals(45L, views.summary("p").orElseThrow().grokStep(), "the newest analysis version wins");
        assertEquals(50L, views.summary("p").orElseThrow().memorisedStep());
    }
}
