package io.grokstream.trainer.worker;

import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingStarted;
import io.grokstream.kafka.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import static io.grokstream.trainer.worker.WorkerTestKit.hasAny;
import static io.grokstream.trainer.worker.WorkerTestKit.ofType;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer service as deployed: its own worker (group {@code trainers}, worker id from configuration) takes an
 * experiment from the broker and streams it; an independent consumer reads back what the gateway and analysis
 * service would. The engine here is the counting test fixture ({@link QuarkusTestJobFactory} says why); the DJL
 * engine through the worker is tested in {@link EngineWorkerTest}.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class TrainerWorkerFlowTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    /** The operator's access to the test broker, to see what the service published. */
    final KafkaAccess operator = KafkaBrokerResource.access(KafkaUser.ADMIN);

    @Test
    void aSubmittedExperimentIsTakenAndStreamedByTheServicesOwnWorker() {
        int p = 7;
        long steps = 60;
        TaskDefined task = WorkerTestKit.modularAddition("task-flow-p7", p, 0.6, 3);
        ExperimentSubmitted experiment = WorkerTestKit.experiment("exp-service-flow", "team-a", task,
                WorkerTestKit.smallModel(p), steps, new ExperimentSubmitted.Cadence(10, 20, 10, 20, 30));
        try (EventPublisher publisher = WorkerTestKit.publisher(operator);
             WorkerTestKit.Reader training = new WorkerTestKit.Reader(operator, Topics.TRAINING);
             WorkerTestKit.Reader snapshots = new WorkerTestKit.Reader(operator, Topics.SNAPSHOTS);
             WorkerTestKit.Reader checkpoints = new WorkerTestKit.Reader(operator, Topics.CHECKPOINTS)) {
            publisher.publishAndWait(task);
            RecordMetadata submitted = publisher.publishAndWait(experiment);

            List<GrokEvent> events = training.events(experiment.experimentId(), hasAny(TrainingCompleted.class), WAIT);
            List<ConsumerRecord<String, byte[]>> records = training.records(experiment.experimentId(), rs -> true,
                    Duration.ZERO);

            TrainingStarted started = ofType(events, TrainingStarted.class).get(0);
            assertEquals("trainer-test", started.workerId());
            assertEquals(0, started.resumedFromStep());
            assertFalse(started.device().isBlank());
            assertEquals(LongStream.rangeClosed(1, 6).map(k -> k * 10).boxed().toList(),
                    ofType(events, StepMetrics.class).stream().map(StepMetrics::step).toList());
            TrainingCompleted completed = ofType(events, TrainingCompleted.class).get(0);
            assertEquals(steps, completed.finalStep());

            List<SnapshotCodec.Snapshot> snaps = snapshots.records(experiment.experimentId(),
                    rs -> rs.stream().anyMatch(r -> SnapshotCodec.fromRecord(r).step() == steps), WAIT).stream()
                    .map(SnapshotCodec::fromRecord).toList();
            assertEquals(List.of(10L, 20L, 40L, 60L), snaps.stream().map(SnapshotCodec.Snapshot::step).toList(),
                    "snapshots by the cadence");
            assertFalse(checkpoints.records(experiment.experimentId(), rs -> !rs.isEmpty(), WAIT).isEmpty());

            // Figures: submission to TrainingStarted (broker timestamps), and records published per second of run.
            ConsumerRecord<String, byte[]> first = records.get(0);
            ConsumerRecord<String, byte[]> last = records.get(records.size() - 1);
            long published = records.size() + snaps.size()
                    + checkpoints.records(experiment.experimentId(), rs -> true, Duration.ZERO).size();
            System.out.printf("FIGURE service worker (test engine): submission->TrainingStarted %d ms%n",
                    first.timestamp() - submitted.timestamp());
            System.out.printf("FIGURE service worker (test engine): %d records in %d ms (%.0f records/s)%n", published,
                    last.timestamp() - first.timestamp(),
                    1000.0 * published / Math.max(1, last.timestamp() - first.timestamp()));
        }
    }

    @Test
    void readinessReportsTheWorker() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(WorkerReadiness.NAME));
    }
}
