package io.grokstream.bench;

import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;
import io.grokstream.contracts.ExperimentSubmitted.OptimizerConfig;
import io.grokstream.contracts.ExperimentSubmitted.TrainingBudget;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.Tensor;
import io.grokstream.testkit.ModularAdditionTask;
import io.grokstream.trainer.engine.StackedTraining;
import io.grokstream.trainer.engine.TrainingJobs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code ./grokstream bench-stacked} ({@code scripts/grokstream-bench-stacked}): issue 21 goal 2's measure. M
 * experiments of Nanda's p = 113 configuration (full batch), differing in seed, learning rate, weight decay and
 * GrokFast, trained (a) in one stacked step ({@link StackedTraining}), (b) as M separate engines one after the
 * other, (c) as M separate engines at once on an M-thread pool (a worker's way today), (d) as two stacks of M / 2
 * side by side on two threads, and (e) one model stacked alone against (b)'s first run (the stacking's overhead). Figures are total model-steps per second over the timed
 * steps after as many untimed ones; separate runs are timed by the engine itself ({@code StepMetrics.stepMillis}),
 * the stack by the wall clock around its steps. At the end the stacked weights are compared with the separate
 * runs' final snapshots, relative to each parameter's largest element.
 */
@Command(name = "grokstream bench-stacked", mixinStandardHelpOptions = true, version = "grokstream 0.1.0",
        sortOptions = false, exitCodeOnInvalidInput = PlatformBench.USAGE,
        description = {"Total training steps per second of M experiments of Nanda et al.'s p = 113 configuration "
                + "trained in one stacked step, against M separate engines in turn and at once, and one model "
                + "stacked alone against today's engine; then how far the stacked weights are from the separate "
                + "runs'."})
public final class BenchStacked implements Callable<Integer> {
    @Option(names = "--p", paramLabel = "N", description = "the modulus (default ${DEFAULT-VALUE})")
    int p = NandaPreset.P;
    @Option(names = "--frac", paramLabel = "F", description = "the share of the p² pairs trained on (default ${DEFAULT-VALUE})")
    double frac = NandaPreset.TRAIN_FRACTION;
    @Option(names = "--models", paramLabel = "M", description = "experiments per stack (default ${DEFAULT-VALUE})")
    int models = 4;
    @Option(names = "--steps", paramLabel = "N", description = "timed steps, after as many untimed ones (default ${DEFAULT-VALUE})")
    int steps = 20;
    @Option(names = "--dtype", paramLabel = "float32|float64", description = "default ${DEFAULT-VALUE}")
    String dtype = NandaPreset.model().dtype();
    @Option(names = "--batch-size", paramLabel = "N", description = "rows per step, 0 = full batch (default ${DEFAULT-VALUE})")
    int batchSize = 0;

    @Option(names = "--kernels", description = "only compare single kernels at the step's shapes: one batched "
            + "product of M against M products, one element-wise op on [M, rows, k] against M on [rows, k]")
    boolean kernels;

    @Spec
    CommandSpec spec;

    /** The stack's weights after its last step, model by model, and their largest distance to the separate runs'. */
    private List<Map<String, Tensor>> stackedWeights;
    private double lastDifference = Double.NaN;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchStacked()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (models < 1 || steps < 1 || batchSize < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--models and --steps must be >= 1, --batch-size >= 0");
        }
        TaskDefined task = ModularAdditionTask.of(p, frac, 0);
        if (kernels) {
            StackedKernels.compare(task.data().trainRows().length, ModelConfig.nanda(p), models);
            return 0;
        }
        List<ExperimentSubmitted> sweep = sweep(BenchTrain.withDtype(ModelConfig.nanda(p), dtype), task);
        System.out.printf("task              p=%d, frac %.2f, %d training rows, batch %s, %s, %d models, %d timed steps "
                + "after %d untimed%n", p, frac, task.data().trainRows().length, batchSize == 0 ? "full" : batchSize,
                dtype, models, steps, steps);
        System.out.printf("load average      %.2f before%n", load());
        double first = stackedRate(sweep, task, true);
        double alone1 = stackedRate(sweep.subList(0, 1), task, false);
        List<BenchTrain.StepTimes> inTurn = new ArrayList<>();
        for (ExperimentSubmitted e : sweep) {
            inTurn.add(separate(e, task));
        }
        double turnRate = inTurnRate(inTurn);
        double concurrentRate = atOnceRate(concurrent(sweep, task, sweep.size()), sweep.size());
        int cores = Math.min(sweep.size(), Runtime.getRuntime().availableProcessors());
        double perCoreRate = atOnceRate(concurrent(sweep, task, cores), cores);
        double firstAlone = inTurnRate(inTurn.subList(0, 1));
        // the stack again at the end: the machine may be shared, and its load drifts while the separate runs go
        double again = stackedRate(sweep, task, false);
        double stacked = (first + again) / 2;
        double halves = models >= 2 ? stackedHalvesRate(sweep, task) : Double.NaN;
        System.out.printf("stacked (%d)       %.2f model-steps/s (mean of %.2f first and %.2f last)%n", models, stacked,
                first, again);
        System.out.printf("separate in turn  %.2f model-steps/s   stacked / in turn = %.2fx%n", turnRate,
                stacked / turnRate);
        System.out.printf("separate at once  %.2f model-steps/s   stacked / at once = %.2fx (%d threads)%n",
                concurrentRate, stacked / concurrentRate, models);
        System.out.printf("separate, %d thr.  %.2f model-steps/s   (%d at a time: one thread per core)%n", cores,
                perCoreRate, cores);
        System.out.printf("2 stacks at once  %.2f model-steps/s   (two stacks of %d on two threads) / at once = %.2fx%n",
                halves, models / 2, halves / concurrentRate);
        System.out.printf("                  2 stacks / separate on %d threads = %.2fx%n", cores, halves / perCoreRate);
        System.out.printf("M = 1 stacked     %.2f steps/s against today's engine %.2f: %.2fx%n", alone1, firstAlone,
                alone1 / firstAlone);
        System.out.printf("load average      %.2f after%n", load());
        System.out.printf("weights           stacked vs separate after %d steps: max |diff| / max |w| = %.3g%n",
                2 * steps, lastDifference);
        return 0;
    }


    /** Seeds 1..M; learning rates 1e-3 and 2e-3; weight decays 1 and 0.5; every third model with GrokFast EMA. */
    private List<ExperimentSubmitted> sweep(ModelConfig model, TaskDefined task) {
        OptimizerConfig nanda = NandaPreset.optimizer();
        List<ExperimentSubmitted> out = new ArrayList<>();
        for (int i = 0; i < models; i++) {
            OptimizerConfig o = new OptimizerConfig(i % 2 == 0 ? nanda.lr() : 2 * nanda.lr(),
                    i % 4 < 2 ? nanda.weightDecay() : nanda.weightDecay() / 2, nanda.beta1(), nanda.beta2(), nanda.eps(),
                    nanda.warmupSteps(), batchSize, nanda.kind());
            GrokFastConfig gf = i % 3 == 2 ? GrokFastConfig.ema(0.98, 2.0) : GrokFastConfig.none();
            out.add(new ExperimentSubmitted("bench-" + i, "bench", "bench", task.taskId(), task.sha256(), model, o, gf,
                    new TrainingBudget(2L * steps, null), i + 1,
                    new Cadence(steps, Integer.MAX_VALUE, Integer.MAX_VALUE, 0, Integer.MAX_VALUE), false, null,
                    null, Instant.now()));
        }
        return out;
    }

    /** Model-steps per second of one stack over the timed steps; {@code keep}: its weights are compared later. */
    private double stackedRate(List<ExperimentSubmitted> experiments, TaskDefined task, boolean keep) {
        try (StackedTraining stack = StackedTraining.open(experiments, task)) {
            for (int t = 0; t < steps; t++) {
                stack.step();
            }
            long t0 = System.nanoTime();
            for (int t = 0; t < steps; t++) {
                stack.step();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (keep) {
                stackedWeights = new ArrayList<>();
                for (int i = 0; i < stack.size(); i++) {
                    stackedWeights.add(stack.weights(i));
                }
            }
            return experiments.size() * steps / seconds;
        }
    }


    /**
     * Model-steps per second of two stacks (the sweep's halves) trained side by side on two threads, their timed
     * steps started together; the total over the slower stack's time.
     */
    private double stackedHalvesRate(List<ExperimentSubmitted> sweep, TaskDefined task) throws Exception {
        int half = sweep.size() / 2;
        List<List<ExperimentSubmitted>> parts = List.of(sweep.subList(0, half), sweep.subList(half, 2 * half));
        CyclicBarrier together = new CyclicBarrier(parts.size());
        ExecutorService pool = Executors.newFixedThreadPool(parts.size());
        try {
            List<Future<Double>> seconds = new ArrayList<>();
            for (List<ExperimentSubmitted> part : parts) {
                seconds.add(pool.submit(() -> {
                    try (StackedTraining stack = StackedTraining.open(part, task)) {
                        for (int t = 0; t < steps; t++) {
                            stack.step();
                        }
                        together.await();
                        long t0 = System.nanoTime();
                        for (int t = 0; t < steps; t++) {
                            stack.step();
                        }
                        return (System.nanoTime() - t0) / 1e9;
                    }
                }));
            }
            double slowest = 0;
            for (Future<Double> f : seconds) {
                slowest = Math.max(slowest, f.get());
            }
            return 2.0 * half * steps / slowest;
        } finally {
            pool.shutdown();
        }
    }

    private BenchTrain.StepTimes separate(ExperimentSubmitted e, TaskDefined task) {
        return separate(e, task, () -> { });
    }

    private BenchTrain.StepTimes separate(ExperimentSubmitted e, TaskDefined task, Runnable warmedUp) {
        BenchTrain.StepTimes times = new BenchTrain.StepTimes(steps, warmedUp);
        TrainingJobs.create(e, task, null, times).run();
        return times;
    }

    /**
     * The sweep's separate runs on a pool of {@code threads}: the first {@code threads} runs at once, then the next
     * as those end. The runs of each such group start their timed steps together.
     */
    private List<BenchTrain.StepTimes> concurrent(List<ExperimentSubmitted> sweep, TaskDefined task, int threads)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        // the timed steps start together: no run's timed steps overlap another's warm-up or start-up
        CyclicBarrier together = new CyclicBarrier(threads);
        Runnable await = () -> {
            try {
                together.await();
            } catch (InterruptedException | BrokenBarrierException x) {
                throw new IllegalStateException(x);
            }
        };
        try {
            List<Future<BenchTrain.StepTimes>> runs = new ArrayList<>();
            for (ExperimentSubmitted e : sweep) {
                runs.add(pool.submit(() -> separate(e, task, await)));
            }
            List<BenchTrain.StepTimes> out = new ArrayList<>();
            for (Future<BenchTrain.StepTimes> f : runs) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
        }
    }

    /**
     * Total model-steps per second of runs in turn: steps over the sum of the runs' step times; also
     * records the weights' distance to the stack's (all M runs).
     */
    private double inTurnRate(List<BenchTrain.StepTimes> runs) {
        double totalMillis = 0;
        double worst = 0;
        for (int i = 0; i < runs.size(); i++) {
            double ms = runs.get(i).millis.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            totalMillis += ms;
            if (stackedWeights != null && i < stackedWeights.size()) {
                worst = Math.max(worst, StackedTraining.relativeDifference(stackedWeights.get(i),
                        runs.get(i).lastSnapshot.tensors()));
            }
        }
        if (runs.size() == models) {
            lastDifference = worst;
        }
        return runs.size() * 1000 / totalMillis;
    }

    /**
     * Total model-steps per second of runs {@code threads} at a time: per group of runs that ran side by side, the
     * slowest run's step time (a run that finishes early leaves the others the cores, so summing each run's own rate
     * would overstate), the groups one after the other.
     */
    private static double atOnceRate(List<BenchTrain.StepTimes> runs, int threads) {
        double millis = 0;
        for (int g = 0; g < runs.size(); g += threads) {
            double slowest = 0;
            for (BenchTrain.StepTimes r : runs.subList(g, Math.min(runs.size(), g + threads))) {
                slowest = Math.max(slowest, r.millis.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
            }
            millis += slowest;
        }
        return runs.size() * 1000 / millis;
    }

    static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
