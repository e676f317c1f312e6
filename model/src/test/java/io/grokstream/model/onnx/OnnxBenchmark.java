package io.grokstream.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.Tensor;
import io.grokstream.model.reference.RandomWeights;

import java.lang.management.ManagementFactory;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code ./grokstream bench-onnx}: times the ONNX export of Nanda's p = 113 model (random weights) and ONNX Runtime
 * inference over all p^2 = 12,769 inputs {@code (x, y, =)} in one batch, logits only and with every activation.
 *
 * <p>Arguments (all optional): {@code p} (113), {@code runs} (20), {@code threads} (0 = ONNX Runtime's default,
 * one per core). Prints one line per measurement; the median is over {@code runs} timed runs after 5 warm-up runs.
 * Each inference line also gives the process CPU time per run, a figure that load from other processes on a shared
 * machine does not inflate (with one thread it is the single-core compute time).
 */
public final class OnnxBenchmark {

    private OnnxBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int p = args.length > 0 ? Integer.parseInt(args[0]) : 113;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        ModelConfig config = ModelConfig.nanda(p);
        Map<String, Tensor> weights = RandomWeights.of(config, 0);
        System.out.printf("model: Nanda p=%d, %,d parameters; batch %,d x %d tokens; %d cores; threads %s%n",
                p, config.parameterCount(), p * p, config.nCtx(), Runtime.getRuntime().availableProcessors(),
                threads == 0 ? "ORT default" : threads);

        long t0 = System.nanoTime();
        byte[] onnx = OnnxExporter.export(config, weights, OnnxExportOptions.logitsOnly());
        double coldExport = ms(System.nanoTime() - t0);
        double[] exports = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            OnnxExporter.export(config, weights, OnnxExportOptions.logitsOnly());
            exports[i] = ms(System.nanoTime() - t);
        }
        System.out.printf("export (logits only): first %.1f ms, median of %d warm %.2f ms, %,d bytes%n",
                coldExport, runs, median(exports), onnx.length);

        long[] tokens = new long[p * p * 3];
        for (int x = 0; x < p; x++) {
            for (int y = 0; y < p; y++) {
                int r = (x * p + y) * 3;
                tokens[r] = x;
                tokens[r + 1] = y;
                tokens[r + 2] = p; // '='
            }
        }
        for (boolean activations : new boolean[]{false, true}) {
            byte[] model = OnnxExporter.export(config, weights, OnnxExportOptions.logitsOnly().withActivations(activations));
            infer(model, tokens, p * p, runs, threads, activations ? "with activations" : "logits only");
        }
    }

    private static void infer(byte[] model, long[] tokens, int batch, int runs, int threads, String label) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            long t0 = System.nanoTime();
            try (OrtSession session = env.createSession(model, options);
                 OnnxTensor in = OnnxTensor.createTensor(env, LongBuffer.wrap(tokens), new long[]{batch, 3})) {
                double create = ms(System.nanoTime() - t0);
                Map<String, OnnxTensor> feed = Map.of(OnnxExporter.INPUT, in);
                for (int i = 0; i < 5; i++) {
                    session.run(feed).close();
                }
                double[] times = new double[runs];
                double[] cpu = new double[runs];
                long outputBytes = 0;
                for (int i = 0; i < runs; i++) {
                    long c = processCpuNanos();
                    long t = System.nanoTime();
                    try (OrtSession.Result r = session.run(feed)) {
                        times[i] = ms(System.nanoTime() - t);
                        cpu[i] = ms(processCpuNanos() - c);
                        if (i == 0) {
                            for (var e : r) {
                                outputBytes += ((OnnxTensor) e.getValue()).getInfo().getNumElements() * 4L;
                            }
                        }
                    }
                }
                Arrays.sort(times);
                System.out.printf("inference (%s): median %.1f ms, min %.1f ms, max %.1f ms over %d runs "
                                + "(process CPU time per run: median %.1f ms); %d outputs, %.1f MB; session created in %.0f ms%n",
                        label, median(times), times[0], times[runs - 1], runs, median(cpu), session.getNumOutputs(),
                        outputBytes / 1e6, create);
            }
        }
    }

    /**
     * CPU time of the whole process (every ONNX Runtime thread): on a machine shared with other work the wall time
     * includes waiting for a core, the CPU time does not.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
