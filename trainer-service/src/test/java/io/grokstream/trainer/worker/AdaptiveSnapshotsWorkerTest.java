package io.grokstream.trainer.worker;

import io.grokstream.contracts.EventPublisher;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.ExperimentSubmitted.SnapshotPolicy;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.KafkaAccess;
import io.grokstream.contracts.KafkaUser;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.SnapshotMode;
import io.grokstream.contracts.SnapshotReason;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.kafka.TestBroker;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.grokstream.trainer.worker.WorkerTestKit.hasAny;
import static io.grokstream.trainer.worker.WorkerTestKit.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An adaptive snapshot cadence through the worker, the real DJL engine and a real broker: GrokkingTest's run
 * (modular addition mod 23, Nanda's architecture at half width, AdamW lr 3e-3 wd 1, GrokFast EMA), 1,000 steps with
 * a budget of 30 snapshots. The snapshots read back from the topic stay within the budget, include the last step,
 * and crowd around the step the run memorised (look-back before it, dense after it).
 */
class AdaptiveSnapshotsWorkerTest {
    private static final Duration WAIT = Duration.ofSeconds(300);

    @Test
    void anAdaptiveRunSpendsItsBudgetAroundTheMemorisationStep() {
        int p = 23;
        long steps = 1_000;
        var policy = new SnapshotPolicy(SnapshotMode.ADAPTIVE, 30, 5, 4);
        long w = (long) policy.lookBack() * policy.minEvery();
        TaskDefined task = WorkerTestKit.modularAddition("task-adaptive-p23", p, 0.5, 1);
        ModelConfig model = new ModelConfig(1, 64, 4, 16, 256, p + 1, 3, List.of(new OutputGroup("out", p)),
                false, false, false, true, "float32");
        ExperimentSubmitted experiment = new ExperimentSubmitted("exp-adaptive", "team-a", "adaptive", task.taskId(),
                task.sha256(), model, new ExperimentSubmitted.OptimizerConfig(3e-3, 1.0, 0.9, 0.98, 1e-8, 10, 0),
                ExperimentSubmitted.GrokFastConfig.ema(0.98, 2.0), new ExperimentSubmitted.TrainingBudget(steps, null),
                42, new Cadence(5, 1000, 1000, 0, 1000, policy), false, null, null, Instant.now());
        try (TestBroker broker = TestBroker.start()) {
            KafkaAccess operator = broker.access(KafkaUser.ADMIN);
            KafkaAccess trainer = broker.access(KafkaUser.TRAINER);
            try (EventPublisher publisher = WorkerTestKit.publisher(operator);
                 EventPublisher workerPublisher = WorkerTestKit.publisher(trainer);
                 ExperimentWorker worker = new ExperimentWorker(new WorkerSettings("w-adaptive",
                         WorkerSettings.DEFAULT_GROUP, 1, Duration.ofSeconds(20), "auto",
                         ResourceLimits.withBudget(1L << 32), Duration.ofSeconds(10), ExperimentWorkerTest.LOCK,
                         ExperimentWorkerTest.MAX_DELIVERIES), trainer, workerPublisher, new EngineJobFactory()).start();
                 WorkerTestKit.Reader training = new WorkerTestKit.Reader(operator, Topics.TRAINING);
                 WorkerTestKit.Reader snapshots = new WorkerTestKit.Reader(operator, Topics.SNAPSHOTS)) {
                publisher.publishAndWait(task);
                publisher.publishAndWait(experiment);
                List<GrokEvent> events = training.events(experiment.experimentId(),
                        hasAny(TrainingCompleted.class, TrainingFailed.class), WAIT);
                assertEquals(List.of(), ofType(events, TrainingFailed.class));
                TrainingCompleted completed = ofType(events, TrainingCompleted.class).get(0);
                assertNotNull(completed.memorisedStep(), "the run memorises");
                long memorised = completed.memorisedStep();

                Map<Long, String> taken = new TreeMap<>();
                snapshots.records(experiment.experimentId(), rs -> rs.stream()
                        .anyMatch(r -> SnapshotCodec.fromRecord(r).step() == steps), WAIT)
                        .forEach(r -> {
                            var s = SnapshotCodec.fromRecord(r);
                            taken.put(s.step(), s.metadata().get(SnapshotCodec.META_REASON));
                        });
                System.out.printf("FIGURE adaptive snapshots (p 23, 1,000 steps, budget 30): memorised at %d, "
                        + "%d snapshots %s%n", memorised, taken.size(), taken);

                assertTrue(taken.size() <= policy.budget(), "never over the budget: " + taken);
                assertTrue(taken.containsKey(steps), "the last step");
                assertEquals(SnapshotReason.MEMORISED.wire(), taken.get(memorised));
                assertTrue(taken.keySet().stream().anyMatch(s -> s < memorised
                        && SnapshotReason.LOOK_BACK.wire().equals(taken.get(s))), "look-back before memorising");
                long around = taken.keySet().stream().filter(s -> Math.abs(s - memorised) <= w).count();
                double elsewhere = (taken.size() - around) / ((steps - (2.0 * w + 1)) / (2.0 * w + 1));
                assertTrue(around >= 3 * elsewhere && around >= 5, around + " snapshots within " + w
                        + " steps of memorising, " + elsewhere + " in an equal window elsewhere on average");
            }
        }
    }
}
