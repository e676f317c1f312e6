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
import io.grokstream.gateway.view.ViewStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import io.grokstream.model.ModelConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fold's status rules and deduplication, event by event, without a broker (on a real store on disk). */
class ViewStateTest {
    @TempDir
    Path dir;
    private ViewStore store;
    private ViewState views;
    private int ids;

    @BeforeEach
    void open() {
        store = ViewStore.open(dir.resolve("views"), 1 << 20, 1 << 20);
        views = new ViewState(store, null, 10);
    }

    @AfterEach
    void close() {
        store.close();
    }

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

    @Test
    void aReopenedStoreHoldsTheSameViewsAndStillDeduplicates() {
        apply(submitted("r"));
        apply(new TrainingStarted("r", "w", "cpu", 0, Instant.EPOCH));
        views.apply(Fixtures.metrics("r", 10, 0.5, 0.1), "m10");
        views.apply(Fixtures.metrics("r", 20, 0.9, 0.2), "m20");
        views.apply(ExperimentsApiTest.measured("r", 20, "1", 0.4), "p20");
        Object before = views.canonical();
        store.close();
        store = ViewStore.open(dir.resolve("views"), 1 << 20, 1 << 20);
        views = new ViewState(store, null, 10);
        assertEquals(String.valueOf(json(before)), String.valueOf(json(views.canonical())));
        assertEquals("running", status("r"));
        assertTrue(views.apply(Fixtures.metrics("r", 10, 0.5, 0.1), "m10").isEmpty(), "seen ids are kept on disk");
        assertEquals(2, views.metrics("r").size());
        assertEquals(2L, views.sizes().get("metric_points"));
    }

    private static String json(Object o) {
        try {
            return io.grokstream.contracts.EventCodec.JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
