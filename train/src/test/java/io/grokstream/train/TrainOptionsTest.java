package io.grokstream.train;

import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.ExperimentSubmitted.SnapshotPolicy;
import io.grokstream.contracts.SnapshotMode;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;
import io.grokstream.contracts.ExperimentSubmitted.OptimizerConfig;
import io.grokstream.contracts.ExperimentSubmitted.TrainingBudget;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.testkit.ModularAdditionTask;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainOptionsTest {

    private static TrainMain parsed(String... args) {
        TrainMain train = new TrainMain();
        new CommandLine(train).parseArgs(args);
        return train;
    }

    @Test
    void withOnlyAnOutputFolderItTrainsNandasSetupForThreeThousandSteps() {
        TrainMain train = parsed("--out", "/tmp/runs/run-a");
        TaskDefined task = train.options.task();
        ExperimentSubmitted e = train.experiment(task);

        assertEquals(ModularAdditionTask.of(NandaPreset.P, NandaPreset.TRAIN_FRACTION, 0).taskId(), task.taskId());
        assertEquals(3830, task.data().trainRows().length);
        assertEquals(NandaPreset.model(), e.model());
        assertEquals(NandaPreset.optimizer(), e.optimizer());
        assertEquals(GrokFastConfig.none(), e.grokfast());
        assertEquals(new TrainingBudget(3000, null), e.budget());
        assertEquals(Cadence.defaults(), e.cadence());
        assertEquals(0, e.seed());
        assertEquals("run-a", e.experimentId(), "the folder's name");
        assertEquals("cli", e.team());
        assertEquals(task.sha256(), e.taskSha256());
    }

    @Test
    void eachOptionFillsItsFieldOfTheExperiment() {
        TrainMain train = parsed("--out", "runs/x", "--id", "exp-1", "--p", "23", "--frac", "0.5", "--data-seed", "4",
                "--layers", "2", "--d-model", "64", "--heads", "2", "--d-head", "16", "--d-mlp", "100", "--dtype", "float64",
                "--attn-only", "--layer-norm", "--no-pos", "--lr", "3e-3", "--wd", "0.3", "--beta1", "0.8", "--beta2", "0.99",
                "--eps", "1e-6", "--warmup", "5", "--batch-size", "64", "--grokfast", "ema", "--alpha", "0.9", "--lambda", "3",
                "--window", "50", "--reduction", "sum", "--steps", "300", "--stop-at", "0.99", "--seed", "7",
                "--metrics-every", "5", "--snapshot-every", "50", "--snapshot-every-early", "10", "--early-steps", "100",
                "--checkpoint-every", "150");
        TaskDefined task = train.options.task();
        ExperimentSubmitted e = train.experiment(task);

        assertArrayEquals(ModularAdditionTask.of(23, 0.5, 4).data().trainRows(), task.data().trainRows(),
                "split by --data-seed");
        ExperimentSubmitted expected = new ExperimentSubmitted("exp-1", "cli", "exp-1", task.taskId(), task.sha256(),
                new ModelConfig(2, 64, 2, 16, 100, 24, 3, List.of(new OutputGroup("out", 23)), true, false, true, false,
                        "float64"),
                new OptimizerConfig(3e-3, 0.3, 0.8, 0.99, 1e-6, 5, 64), new GrokFastConfig("ema", 0.9, 3.0, 50, "sum"),
                new TrainingBudget(300, 0.99), 7, new Cadence(5, 50, 10, 100, 150), false, null, null, e.submittedAt());
        assertEquals(expected, e);
    }

    @Test
    void aSnapshotBudgetTrainsWithAdaptiveSnapshots() {
        Cadence c = parsed("--out", "x", "--snapshot-budget", "60", "--snapshot-look-back", "2")
                .experiment(ModularAdditionTask.of(23, 0.3, 0)).cadence();
        assertEquals(new SnapshotPolicy(SnapshotMode.ADAPTIVE, 60, SnapshotPolicy.DEFAULT_MIN_EVERY, 2), c.snapshots());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> parsed("--out", "x", "--snapshots", "adaptive").experiment(ModularAdditionTask.of(23, 0.3, 0)));
        assertTrue(e.getMessage().contains("snapshots.budget"), e.getMessage());
    }

    @Test
    void theHeadAndMlpWidthsFollowTheModelWidthUnlessGiven() {
        ModelConfig m = parsed("--out", "x", "--d-model", "64").experiment(ModularAdditionTask.of(113, 0.3, 0)).model();
        assertEquals(16, m.dHead(), "d-model / heads");
        assertEquals(256, m.dMlp(), "4 x d-model");
    }

    @Test
    void movingAverageAmplifiesByFiveUnlessTold() {
        TrainMain ma = parsed("--out", "x", "--grokfast", "ma");
        assertEquals(TrainOptions.MA_LAMBDA, ma.experiment(ma.options.task()).grokfast().lambda());
        TrainMain ema = parsed("--out", "x", "--grokfast", "ema");
        assertEquals(GrokFastConfig.none().lambda(), ema.experiment(ema.options.task()).grokfast().lambda());
    }

    @Test
    void theSplitFollowsTheTrainingSeedWithoutADataSeed() {
        TrainMain train = parsed("--out", "x", "--p", "23", "--seed", "9");
        assertArrayEquals(ModularAdditionTask.of(23, NandaPreset.TRAIN_FRACTION, 9).data().trainRows(),
                train.options.task().data().trainRows());
    }
}
