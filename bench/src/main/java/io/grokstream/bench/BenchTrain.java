package io.grokstream.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;
import io.grokstream.contracts.ExperimentSubmitted.TrainingBudget;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.contracts.TrainingAnomaly;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.model.ModelConfig;
import io.grokstream.testkit.ModularAdditionTask;
import io.grokstream.trainer.engine.FlopCount;
import io.grokstream.trainer.engine.TrainingJobs;
import io.grokstream.trainer.engine.TrainingListener;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./grokstream bench train} ({@code scripts/grokstream-bench-train}): the engine's real training step on
 * Nanda's p = 113 setup (full batch, frac 0.3 = 3,830 rows), timed by the engine itself
 * ({@code StepMetrics.stepMillis}: the optimizer step only, not the evaluation), with the achieved GFLOP/s
 * ({@link FlopCount}) against DJL's own float32 2048 x 2048 matmul peak measured in the same JVM.
 */
@Command(name = "grokstream bench-train", mixinStandardHelpOptions = true, version = "grokstream 0.1.0",
        sortOptions = false, exitCodeOnInvalidInput = PlatformBench.USAGE,
        description = {"Times the trainer engine's training step on Nanda et al.'s p = 113 configuration (full batch): "
                + "ms/step, FLOPs per step, achieved GFLOP/s, the same engine's float32 2048 x 2048 matmul peak "
                + "measured in the same run, and the rates at the step's own matrix shapes."})
public final class BenchTrain implements Callable<Integer> {
    @Option(names = "--p", paramLabel = "N", description = "the modulus (default ${DEFAULT-VALUE})")
    int p = NandaPreset.P;
    @Option(names = "--frac", paramLabel = "F", description = "the share of the p² pairs trained on (default ${DEFAULT-VALUE})")
    double frac = NandaPreset.TRAIN_FRACTION;
    @Option(names = "--warmup", paramLabel = "N", description = "untimed steps first (default ${DEFAULT-VALUE})")
    int warmup = 10;
    @Option(names = "--steps", paramLabel = "N", description = "timed steps (default ${DEFAULT-VALUE})")
    int steps = 50;
    @Option(names = "--dtype", paramLabel = "float32|float64", description = "default ${DEFAULT-VALUE}")
    String dtype = NandaPreset.model().dtype();
    @Option(names = "--grokfast", paramLabel = "none|ema|ma", description = "the gradient filter, with its default "
            + "settings (default ${DEFAULT-VALUE})")
    String grokfast = GrokFastConfig.none().kind();

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchTrain()).execute(args));
    }

    @Override
    public Integer call() {
        TaskDefined task = ModularAdditionTask.of(p, frac, 0);
        ModelConfig model = withDtype(ModelConfig.nanda(p), dtype);
        int rows = task.data().trainRows().length;
        // metrics every `warmup` steps: the first event covers the warm-up, later ones the timed steps
        int every = Math.max(1, warmup);
        int timedEvents = Math.max(1, steps / every);
        long total = (long) every * (1 + timedEvents);
        GrokFastConfig none = GrokFastConfig.none();
        ExperimentSubmitted e = new ExperimentSubmitted("bench", "bench", "bench", task.taskId(), task.sha256(), model,
                NandaPreset.optimizer(), new GrokFastConfig(grokfast, none.alpha(), none.lambda(), none.window(),
                none.reduction()), new TrainingBudget(total, null), 0,
                new Cadence(every, Integer.MAX_VALUE, Integer.MAX_VALUE, 0, Integer.MAX_VALUE), false, null, null,
                Instant.now());
        StepTimes times = new StepTimes(every);
        TrainingJobs.create(e, task, null, times).run();
        double ms = times.millis.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double flops = FlopCount.step(model, 1, new int[]{p}, rows);
        double achieved = flops / (ms / 1e3) / 1e9;
        double peak = peakMatmulGflops(2048, 2048, 2048, 10);
        System.out.printf("device            %s, %d intra-op threads, %s, GrokFast %s%n", times.device,
                JniUtils.getNumThreads(), dtype, grokfast);
        System.out.printf("task              p=%d, frac %.2f, full batch of %d rows, d_model %d, %d heads, d_mlp %d%n",
                p, frac, rows, model.dModel(), model.nHeads(), model.dMlp());
        System.out.printf("step time         %.1f ms/step (mean of %d timed steps after %d warm-up)%n", ms,
                (long) every * times.millis.size(), every);
        System.out.printf("FLOPs per step    %.3g (3 x forward matmul FLOPs, query at the last position only)%n", flops);
        System.out.printf("achieved          %.1f GFLOP/s%n", achieved);
        System.out.printf("peak matmul       %.1f GFLOP/s (DJL float32 2048x2048 matmul, 2n^3 FLOPs)%n", peak);
        System.out.printf("ratio             %.2f of peak%n", achieved / peak);
        // Where the time goes: the same engine on the step's own product shapes. Small, skinny products reach a
        // fraction of the square peak, which bounds what the step can reach before any element-wise work counts.
        int d = model.dModel();
        double mlpIn = peakMatmulGflops(rows, d, model.dMlp(), 10);
        double unembed = peakMatmulGflops(rows, d, p, 10);
        double qkv = peakMatmulGflops(rows * 3, d, d, 10);
        System.out.printf("step's shapes     %.1f GFLOP/s [%d x %d] x [%d x %d] (MLP in), %.1f [%d x %d] x [%d x %d]"
                        + " (unembed), %.1f [%d x %d] x [%d x %d] (Q, K, V over 3 positions)%n",
                mlpIn, rows, d, d, model.dMlp(), unembed, rows, d, d, p, qkv, rows * 3, d, d, d);
        System.out.printf("ratio to shapes   %.2f of the MLP-in shape's rate%n", achieved / mlpIn);
        return 0;
    }

    /** Nanda's architecture in another number type. */
    static ModelConfig withDtype(ModelConfig m, String dtype) {
        return new ModelConfig(m.nLayers(), m.dModel(), m.nHeads(), m.dHead(), m.dMlp(), m.dVocab(), m.nCtx(),
                m.outputs(), m.attnOnly(), m.mlpOnly(), m.layerNorm(), m.positionalEmbedding(), dtype);
    }

    /** Best of {@code reps} timed float32 [n, k] x [k, m] matmuls after two warm-up ones, in GFLOP/s (2nkm FLOPs). */
    static double peakMatmulGflops(int n, int k, int mCols, int reps) {
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = engine.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(n, k), DataType.FLOAT32);
            NDArray y = m.randomNormal(new Shape(k, mCols), DataType.FLOAT32);
            double best = Double.MAX_VALUE;
            for (int i = 0; i < reps + 2; i++) {
                long t0 = System.nanoTime();
                try (NDArray z = x.matMul(y)) {
                    z.getFloat(0, 0);          // forces completion on an asynchronous device
                }
                if (i >= 2) {
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
            }
            return 2.0 * n * k * mCols / best / 1e9;
        }
    }

    /**
     * The engine's own step times after the first metrics event (the warm-up), the device it trained on, and the
     * run's last snapshot (BenchStacked compares its weights).
     */
    static final class StepTimes implements TrainingListener {
        private final int warmup;
        final List<Double> millis = new ArrayList<>();
        String device = "?";
        volatile SnapshotCodec.Snapshot lastSnapshot;
        private final Runnable warmedUp;

        StepTimes(int warmup) {
            this(warmup, () -> { });
        }

        /** {@code warmedUp} runs on the run's thread at the warm-up's metrics event, before the timed steps. */
        StepTimes(int warmup, Runnable warmedUp) {
            this.warmup = warmup;
            this.warmedUp = warmedUp;
        }

        @Override
        public void started(String d, long resumedFromStep) {
            device = d;
        }

        @Override
        public void metrics(StepMetrics m) {
            if (m.step() > warmup) {
                millis.add(m.stepMillis());
            } else if (m.step() == warmup) {
                warmedUp.run();
            }
        }

        @Override
        public void snapshot(SnapshotCodec.Snapshot s) {
            lastSnapshot = s;
        }

        @Override
        public void checkpoint(SnapshotCodec.Snapshot s) {
        }

        @Override
        public void anomaly(TrainingAnomaly x) {
        }

        @Override
        public void completed(TrainingCompleted c) {
        }

        @Override
        public void failed(TrainingFailed f) {
            throw new IllegalStateException("benchmark run failed: " + f.reason());
        }
    }
}
