package io.grokstream.trainer.engine.cli;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;
import io.grokstream.contracts.ExperimentSubmitted.OptimizerConfig;
import io.grokstream.contracts.ExperimentSubmitted.TrainingBudget;
import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.SnapshotCodec;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;
import io.grokstream.trainer.engine.TrainingJob;
import io.grokstream.trainer.engine.TrainingJobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code ./grokstream train}: trains one modular-addition experiment without Kafka, on the same engine the workers
 * use, writing what the workers would publish to a directory (snapshots as {@code .safetensors}, the latest
 * checkpoint, metrics and events as JSON lines) and drawing a progress bar on stderr.
 *
 * <pre>
 *   ./grokstream train --p 113 --frac 0.3 --steps 10000 --grokfast ema --out runs/p113-ema
 * </pre>
 */
public final class TrainMain {

    static final String USAGE = """
            usage: grokstream train --out DIR [options]
              task      --p 113 --frac 0.3 --data-seed 0           modular addition (x + y) mod p, Nanda's split
              model     --layers 1 --d-model 128 --heads 4 --d-head 32 --d-mlp 512 --dtype float32|float64
                        --attn-only --mlp-only --layer-norm --no-pos
              optimizer --lr 1e-3 --wd 1.0 --beta1 0.9 --beta2 0.98 --eps 1e-8 --warmup 10 --batch-size 0 (full)
              grokfast  --grokfast none|ema|ma --alpha 0.98 --lambda 2.0 (ema) / 5.0 (ma) --window 100 --reduction mean|sum
              budget    --steps 3000 --stop-at 1.0 (validation accuracy; off by default) --seed 0
              cadence   --metrics-every 10 --snapshot-every 100 --snapshot-every-early 20 --early-steps 1000
                        --checkpoint-every 500
              run       --resume DIR/checkpoint.safetensors   continue a run bit-identically
                        --quiet                                no progress bar
            writes DIR/snapshots/step-NNNNNNN.safetensors, DIR/checkpoint.safetensors, DIR/metrics.jsonl,
            DIR/events.jsonl; prints a summary (memorised step, grok step, first step at validation accuracy >= 0.99)
            """;

    private TrainMain() {
    }

    public static void main(String[] args) throws Exception {
        quietDjlLogging();
        Args a;
        try {
            a = new Args(args);
            if (a.flag("help") || a.flag("h")) {
                System.out.print(USAGE);
                return;
            }
        } catch (IllegalArgumentException e) {
            System.err.println("grokstream train: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        int code;
        try {
            code = run(a);
        } catch (IllegalArgumentException e) {
            System.err.println("grokstream train: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    static int run(Args a) throws IOException {
        Path out = Path.of(a.required("out"));
        int p = a.integer("p", NandaPreset.P);
        double frac = a.number("frac", NandaPreset.TRAIN_FRACTION);
        long seed = a.longValue("seed", 0);
        TaskDefined task = ModularAddition.task(p, frac, a.longValue("data-seed", seed));
        int dModel = a.integer("d-model", 128);
        int heads = a.integer("heads", 4);
        ModelConfig model = new ModelConfig(a.integer("layers", 1), dModel, heads, a.integer("d-head", dModel / heads),
                a.integer("d-mlp", 4 * dModel), p + 1, 3, List.of(new OutputGroup("out", p)), a.flag("attn-only"),
                a.flag("mlp-only"), a.flag("layer-norm"), !a.flag("no-pos"), a.string("dtype", "float32"));
        String kind = a.string("grokfast", "none");
        GrokFastConfig gf = new GrokFastConfig(kind, a.number("alpha", 0.98),
                a.number("lambda", "ma".equals(kind) ? 5.0 : 2.0), a.integer("window", 100), a.string("reduction", "mean"));
        OptimizerConfig opt = new OptimizerConfig(a.number("lr", 1e-3), a.number("wd", 1.0), a.number("beta1", 0.9),
                a.number("beta2", 0.98), a.number("eps", 1e-8), a.integer("warmup", 10), a.integer("batch-size", 0));
        long steps = a.longValue("steps", 3000);
        Double stopAt = a.has("stop-at") ? a.number("stop-at", 1.0) : null;
        Cadence cadence = new Cadence(a.integer("metrics-every", 10), a.integer("snapshot-every", 100),
                a.integer("snapshot-every-early", 20), a.integer("early-steps", 1000), a.integer("checkpoint-every", 500));
        String id = a.string("id", out.getFileName().toString());
        ExperimentSubmitted experiment = new ExperimentSubmitted(id, "cli", id, task.taskId(), task.sha256(), model,
                opt, gf, new TrainingBudget(steps, stopAt), seed, cadence, false, null, null, Instant.now());
        SnapshotCodec.Snapshot checkpoint = null;
        if (a.has("resume")) {
            checkpoint = SnapshotCodec.decode(Files.readAllBytes(Path.of(a.string("resume", ""))));
        }
        boolean quiet = a.flag("quiet");
        a.rejectUnknown();

        Files.createDirectories(out.resolve("snapshots"));
        Files.writeString(out.resolve("experiment.json"), EventCodec.JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(experiment));
        ProgressBar bar = new ProgressBar(System.err, steps, !quiet);
        try (DirectoryListener listener = new DirectoryListener(out, bar)) {
            TrainingJob job = TrainingJobs.create(experiment, task, checkpoint, listener);
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            // Ctrl-C / SIGTERM: cancel, and hold the JVM until the job has written its final snapshot and checkpoint
            Thread hook = new Thread(() -> {
                job.cancel();
                try {
                    done.await(120, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "grokstream-train-cancel");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                job.run();
            } finally {
                listener.close();
                done.countDown();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the job saw cancel() and wrote its final snapshot and checkpoint
            }
            bar.finish();
            System.out.println(listener.summary());
            return listener.failed() ? 1 : 0;
        }
    }

    /** DJL logs CUDA probing at WARN on a CPU machine; keep stderr for the progress bar. */
    static void quietDjlLogging() {
        java.util.logging.Logger.getLogger("ai.djl").setLevel(java.util.logging.Level.SEVERE);
    }

    /** {@code --name value} and {@code --flag} arguments. */
    static final class Args {
        private final Map<String, String> values = new java.util.LinkedHashMap<>();
        private final java.util.Set<String> used = new java.util.HashSet<>();

        Args(String[] args) {
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") && !args[i].equals("-h")) {
                    throw new IllegalArgumentException("unexpected argument " + args[i]);
                }
                String name = args[i].replaceFirst("^--?", "");
                if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    values.put(name, args[++i]);
                } else {
                    values.put(name, "true");
                }
            }
        }

        boolean has(String name) {
            used.add(name);
            return values.containsKey(name);
        }

        boolean flag(String name) {
            used.add(name);
            return "true".equals(values.get(name));
        }

        String required(String name) {
            if (!has(name)) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return values.get(name);
        }

        String string(String name, String dflt) {
            used.add(name);
            return values.getOrDefault(name, dflt);
        }

        int integer(String name, int dflt) {
            return (int) parse(name, dflt);
        }

        long longValue(String name, long dflt) {
            return (long) parse(name, dflt);
        }

        double number(String name, double dflt) {
            return parse(name, dflt);
        }

        private double parse(String name, double dflt) {
            used.add(name);
            String v = values.get(name);
            if (v == null) {
                return dflt;
            }
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a number, got " + v);
            }
        }

        void rejectUnknown() {
            for (String k : values.keySet()) {
                if (!used.contains(k)) {
                    throw new IllegalArgumentException("unknown option --" + k);
                }
            }
        }
    }
}
