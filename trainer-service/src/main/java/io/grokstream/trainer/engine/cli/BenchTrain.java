package io.grokstream.trainer.engine.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
import io.grokstream.model.OutputGroup;
import io.grokstream.trainer.engine.FlopCount;
import io.grokstream.trainer.engine.TrainingJobs;
import io.grokstream.trainer.engine.TrainingListener;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./grokstream bench-train}: the engine's real training step on Nanda's p = 113 setup (full batch, frac 0.3
 * = 3,830 rows), timed by the engine itself ({@code StepMetrics.stepMillis}: the optimizer step only, not the
 * evaluation), with the achieved GFLOP/s ({@link FlopCount}) against DJL's own float32 2048 x 2048 matmul peak
 * measured in the same JVM.
 */
public final class BenchTrain {

    private BenchTrain() {
    }

    public static void main(String[] args) {
        TrainMain.quietDjlLogging();
        TrainMain.Args a = new TrainMain.Args(args);
        int p = a.integer("p", 113);
        double frac = a.number("frac", 0.3);
        int warmup = a.integer("warmup", 10);
        int steps = a.integer("steps", 50);
        String dtype = a.string("dtype", "float32");
        String gf = a.string("grokfast", "none");
        a.rejectUnknown();

        TaskDefined task = ModularAddition.task(p, frac, 0);
        ModelConfig model = new ModelConfig(1, 128, 4, 32, 512, p + 1, 3, List.of(new OutputGroup("out", p)),
                false, false, false, true, dtype);
        int rows = task.data().trainRows().length;
        // metrics every `warmup` steps: the first event covers the warm-up, later ones the timed steps
        int every = Math.max(1, warmup);
        int timedEvents = Math.max(1, steps / every);
        long total = (long) every * (1 + timedEvents);
        ExperimentSubmitted e = new ExperimentSubmitted("bench", "bench", "bench", task.taskId(), task.sha256(), model,
                NandaPreset.optimizer(), new GrokFastConfig(gf, 0.98, 2.0, 100, "mean"), new TrainingBudget(total, null),
                0, new Cadence(every, Integer.MAX_VALUE, Integer.MAX_VALUE, 0, Integer.MAX_VALUE), false, null, null,
                Instant.now());
        List<Double> millis = new ArrayList<>();
        String[] device = {"?"};
        TrainingJobs.create(e, task, null, new TrainingListener() {
            public void started(String d, long r) {
                device[0] = d;
            }

            public void metrics(StepMetrics m) {
                if (m.step() > every) {
                    millis.add(m.stepMillis());
                }
            }

            public void snapshot(SnapshotCodec.Snapshot s) {
            }

            public void checkpoint(SnapshotCodec.Snapshot s) {
            }

            public void anomaly(TrainingAnomaly x) {
            }

            public void completed(TrainingCompleted c) {
            }

            public void failed(TrainingFailed f) {
                throw new IllegalStateException("benchmark run failed: " + f.reason());
            }
        }).run();
        double ms = millis.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double flops = FlopCount.step(model, 1, new int[]{p}, rows);
        double achieved = flops / (ms / 1e3) / 1e9;
        double peak = peakMatmulGflops(2048, 10);
        System.out.printf("device            %s, %d intra-op threads, %s, GrokFast %s%n", device[0],
                ai.djl.pytorch.jni.JniUtils.getNumThreads(), dtype, gf);
        System.out.printf("task              p=%d, frac %.2f, full batch of %d rows, d_model 128, 4 heads, d_mlp 512%n",
                p, frac, rows);
        System.out.printf("step time         %.1f ms/step (mean of %d timed steps after %d warm-up)%n", ms,
                (long) every * millis.size(), every);
        System.out.printf("FLOPs per step    %.3g (3 x forward matmul FLOPs, query at the last position only)%n", flops);
        System.out.printf("achieved          %.1f GFLOP/s%n", achieved);
        System.out.printf("peak matmul       %.1f GFLOP/s (DJL float32 2048x2048 matmul, 2n^3 FLOPs)%n", peak);
        System.out.printf("ratio             %.2f of peak%n", achieved / peak);
        // Where the time goes: the same engine on the step's own product shapes. Small, skinny products reach a
        // fraction of the square peak, which bounds what the step can reach before any element-wise work counts.
        double mlpIn = peakMatmulGflops(rows, 128, 512, 10);
        double unembed = peakMatmulGflops(rows, 128, p, 10);
        double qkv = peakMatmulGflops(rows * 3, 128, 128, 10);
        System.out.printf("step's shapes     %.1f GFLOP/s [%d x 128] x [128 x 512] (MLP in), %.1f [%d x 128] x [128 x %d]"
                + " (unembed), %.1f [%d x 128] x [128 x 128] (Q, K, V over 3 positions)%n",
                mlpIn, rows, unembed, rows, p, qkv, rows * 3);
        System.out.printf("ratio to shapes   %.2f of the MLP-in shape's rate%n", achieved / mlpIn);
    }

    static double peakMatmulGflops(int n, int reps) {
        return peakMatmulGflops(n, n, n, reps);
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
}
