package io.grokstream.bench;

import io.grokstream.analysis.forward.ActivationSource;
import io.grokstream.analysis.forward.JavaForward;
import io.grokstream.analysis.forward.OnnxActivations;
import io.grokstream.analysis.forward.OrtProducts;
import io.grokstream.analysis.math.NeuronFrequencies;
import io.grokstream.analysis.math.Products;
import io.grokstream.analysis.measure.Measures;
import io.grokstream.analysis.measure.SnapshotAnalyzer;
import io.grokstream.contracts.Measure;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.Tensor;
import io.grokstream.model.reference.RandomWeights;
import io.grokstream.testkit.ModularAdditionTask;
import io.grokstream.testkit.PlantedWeights;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The benchmark behind {@code ./grokstream bench analysis} ({@code scripts/grokstream-bench-analysis}): milliseconds
 * per snapshot for the analysis service's full measure suite ({@code SnapshotAnalyzer}) on Nanda et al.'s model at
 * p = 113 (d_model 128, 4 heads, d_mlp 512, all 12,769 inputs), with random weights and with weights planted at the
 * key frequencies {14, 35, 41} (testkit's {@code PlantedWeights}). Prints the median and the spread of the timed runs.
 *
 * <p>{@code -Dgrokstream.bench.activations=onnx} runs the network through the ONNX export instead of the token tables,
 * {@code -Dgrokstream.bench.java} keeps the large products in Java.
 */
@Command(name = "grokstream bench-analysis", mixinStandardHelpOptions = true, version = "grokstream 0.1.0",
        exitCodeOnInvalidInput = PlatformBench.USAGE,
        description = {"Milliseconds per snapshot for the analysis service's full measure suite on Nanda et al.'s model "
                + "(all p² inputs), with random weights and with weights planted at key frequencies; prints the median "
                + "and the spread of the timed runs."})
public final class BenchAnalysis implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "RUNS", description = "timed runs (default ${DEFAULT-VALUE})")
    int runs = 15;
    @Parameters(index = "1", arity = "0..1", paramLabel = "WARMUP", description = "untimed runs first (default ${DEFAULT-VALUE})")
    int warmup = 5;
    @Parameters(index = "2", arity = "0..1", paramLabel = "P", description = "the modulus (default ${DEFAULT-VALUE})")
    int p = NandaPreset.P;
    @Option(names = "--threads", paramLabel = "N", description = "threads of the measure suite's pool (default: the cores)")
    int threads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--prime-targets", description = "instead: the multi-target task miiii (one target (x + y p) mod q "
            + "per prime q < p, 29 at p = 113), random weights: the per-target Fourier measures' cost")
    boolean primeTargets;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchAnalysis()).execute(args));
    }

    @Override
    public Integer call() {
        ModelConfig cfg = ModelConfig.nanda(p);
        TaskDefined task = ModularAdditionTask.of("bench-add-" + p, p, NandaPreset.TRAIN_FRACTION, 1);
        boolean java = System.getProperty("grokstream.bench.java") != null;
        Products products = java ? Products.JAVA : OrtProducts.create(Runtime.getRuntime().availableProcessors());
        boolean onnx = "onnx".equals(System.getProperty("grokstream.bench.activations"));
        ActivationSource source = onnx ? new OnnxActivations(Runtime.getRuntime().availableProcessors())
                : new JavaForward(products);
        SnapshotAnalyzer analyzer = new SnapshotAnalyzer(source, NeuronFrequencies.NANDA, products, threads);
        System.out.printf("analysis benchmark: p=%d, %d inputs, d_model %d, d_mlp %d, %d cores, %d threads, %d warm-up + %d timed runs, activations: %s, products: %s%n",
                p, task.data().rows(), cfg.dModel(), cfg.dMlp(), Runtime.getRuntime().availableProcessors(), threads,
                warmup, runs, onnx ? "ONNX export" : "token tables", products == Products.JAVA ? "Java" : "ONNX Runtime");
        if (primeTargets) {
            ModelConfig multi = primeConfig(cfg, p);
            bench("miiii", analyzer, multi, RandomWeights.of(multi, 1), primeTask(task, p), runs, warmup);
            return 0;
        }
        int[] freqs = p == 113 ? new int[]{14, 35, 41} : new int[]{1, 2, 3};
        bench("random", analyzer, cfg, RandomWeights.of(cfg, 1), task, runs, warmup);
        bench("planted", analyzer, cfg, PlantedWeights.of(cfg, p, freqs, 3), task, runs, warmup);
        return 0;
    }

    /** Nanda's model with one output group per prime q < p ({@code q<q>}, q classes), as the dataset's miiii. */
    private static ModelConfig primeConfig(ModelConfig nanda, int p) {
        List<io.grokstream.model.OutputGroup> groups = new ArrayList<>();
        for (int q : primesBelow(p)) {
            groups.add(new io.grokstream.model.OutputGroup("q" + q, q));
        }
        return new ModelConfig(nanda.nLayers(), nanda.dModel(), nanda.nHeads(), nanda.dHead(), nanda.dMlp(),
                nanda.dVocab(), nanda.nCtx(), groups, false, false, false, true, "float32");
    }

    /** The addition task's rows (x y =) relabelled {@code (x + y p) mod q}, one target per prime q < p. */
    private static TaskDefined primeTask(TaskDefined t, int p) {
        List<Integer> primes = primesBelow(p);
        List<TaskDefined.Target> targets = primes.stream()
                .map(q -> new TaskDefined.Target("q" + q, 2, q, "q" + q, 1.0 / Math.log(q))).toList();
        int[][] inputs = t.data().inputs();
        int[][] labels = new int[inputs.length][primes.size()];
        for (int r = 0; r < inputs.length; r++) {
            for (int i = 0; i < primes.size(); i++) {
                labels[r][i] = (int) ((inputs[r][0] + (long) inputs[r][1] * p) % primes.get(i));
            }
        }
        return new TaskDefined("bench-miiii-" + p, "miiii", Map.of("p", p), t.vocabulary(), t.seqLen(), targets,
                t.residues(), new TaskDefined.TaskData(inputs, labels, t.data().trainRows()), t.sha256(),
                t.statistics(), t.warnings(), t.definedAt());
    }

    private static List<Integer> primesBelow(int p) {
        return java.util.stream.IntStream.range(2, p)
                .filter(q -> java.util.stream.IntStream.rangeClosed(2, (int) Math.sqrt(q)).noneMatch(d -> q % d == 0))
                .boxed().toList();
    }

    private static void bench(String name, SnapshotAnalyzer analyzer, ModelConfig cfg, Map<String, Tensor> w,
                              TaskDefined task, int runs, int warmup) {
        Measures last = null;
        for (int i = 0; i < warmup; i++) {
            last = analyzer.analyse(cfg, w, task);
        }
        double[] ms = new double[runs];
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            last = analyzer.analyse(cfg, w, task);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        double cpuPerRun = (os.getProcessCpuTime() - cpu0) / 1e6 / runs;
        Arrays.sort(ms);
        System.out.printf("%-8s median %.1f ms/snapshot wall (min %.1f, max %.1f), %.1f ms CPU per snapshot (all threads),"
                        + " load average %.1f; key frequencies %s, test accuracy %.3f%n",
                name, ms[runs / 2], ms[0], ms[runs - 1], cpuPerRun, os.getSystemLoadAverage(),
                last == null ? "-" : last.keyFrequencies(),
                last == null ? Double.NaN : last.scalars().get(Measure.TEST_ACCURACY.wire()));
    }
}
