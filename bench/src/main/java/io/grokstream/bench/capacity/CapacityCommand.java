package io.grokstream.bench.capacity;

import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.NandaPreset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./grokstream capacity} ({@code scripts/grokstream-capacity}): the capacity plan of a cluster deployment
 * for one or more loads, from the measured costs ({@link MeasuredInputs}, each overridable), by the model
 * {@link Plan#of} and the analysis queue's simulation {@link AnalysisQueue}. deploy/CAPACITY.md explains both.
 */
@Command(name = "grokstream capacity", mixinStandardHelpOptions = true, version = "grokstream 0.1.0",
        sortOptions = false, exitCodeOnInvalidInput = CapacityCommand.USAGE,
        description = {"Sizes a cluster for a load: broker storage, topic throughput, trainer pods, analysis instances "
                + "and the partitions to choose, from measured costs (deploy/CAPACITY.md names the command that "
                + "measured each default), with a simulation of the analysis queue at the planned instance count.",
                "Defaults: Nanda's 40,000-step p = 113 run at the platform's default cadence, 10, 100 and 1,000 "
                        + "experiments at once, on CPU and on GPU trainers, 3 brokers with replication 3."})
public final class CapacityCommand implements Callable<Integer> {
    /** The command line is wrong (sysexits.h EX_USAGE). */
    static final int USAGE = 64;
    private static final Cadence DEFAULT = Cadence.defaults();

    @Spec
    CommandSpec spec;

    @Option(names = "--experiments", split = ",", paramLabel = "N[,N...]",
            description = "experiments training at once, one plan each (default 10,100,1000)")
    List<Integer> experiments = List.of(10, 100, 1000);
    @Option(names = "--device", split = ",", paramLabel = "cpu|gpu[,...]",
            description = "trainer kind, one plan each (default cpu,gpu)")
    List<String> devices = List.of("cpu", "gpu");
    @Option(names = "--experiments-per-team", paramLabel = "N", description = "teams = experiments / N, rounded up "
            + "(default ${DEFAULT-VALUE})")
    int perTeam = 10;
    @Option(names = "--steps", paramLabel = "N", description = "steps per run (default ${DEFAULT-VALUE}: Nanda's run)")
    long steps = NandaPreset.STEPS;
    @Option(names = "--snapshot-every", paramLabel = "N", description = "default ${DEFAULT-VALUE}")
    int snapshotEvery = DEFAULT.snapshotEvery();
    @Option(names = "--snapshot-every-early", paramLabel = "N", description = "default ${DEFAULT-VALUE}")
    int snapshotEveryEarly = DEFAULT.snapshotEveryEarly();
    @Option(names = "--early-steps", paramLabel = "N", description = "default ${DEFAULT-VALUE}")
    int earlySteps = DEFAULT.earlySteps();
    @Option(names = "--metrics-every", paramLabel = "N", description = "default ${DEFAULT-VALUE}")
    int metricsEvery = DEFAULT.metricsEvery();
    @Option(names = "--checkpoint-every", paramLabel = "N", description = "default ${DEFAULT-VALUE}")
    int checkpointEvery = DEFAULT.checkpointEvery();
    @Option(names = "--retention-days", paramLabel = "D", description = "storage horizon: the event topics keep "
            + "records forever (default ${DEFAULT-VALUE})")
    double retentionDays = 30;
    @Option(names = "--public-share", paramLabel = "F", description = "share of public experiments (default ${DEFAULT-VALUE})")
    double publicShare = 0;

    @Option(names = "--snapshot-bytes", paramLabel = "B", description = "measured: ${DEFAULT-VALUE}")
    long snapshotBytes = MeasuredInputs.SNAPSHOT_BYTES;
    @Option(names = "--checkpoint-bytes", paramLabel = "B", description = "measured: ${DEFAULT-VALUE}")
    long checkpointBytes = MeasuredInputs.CHECKPOINT_BYTES;
    @Option(names = "--metrics-bytes", paramLabel = "B", description = "measured: ${DEFAULT-VALUE}")
    long metricsBytes = MeasuredInputs.METRICS_BYTES;
    @Option(names = "--measure-bytes", paramLabel = "B", description = "measured: ${DEFAULT-VALUE}")
    long measureBytes = MeasuredInputs.MEASURE_BYTES;
    @Option(names = "--submitted-bytes", paramLabel = "B", description = "measured: ${DEFAULT-VALUE}")
    long submittedBytes = MeasuredInputs.SUBMITTED_BYTES;
    @Option(names = "--lifecycle-bytes", paramLabel = "B", description = "measured: ${DEFAULT-VALUE}")
    long lifecycleBytes = MeasuredInputs.LIFECYCLE_BYTES;
    @Option(names = "--analysis-ms", paramLabel = "MS", description = "mean ms per snapshot one analysis instance "
            + "sustains; measured: ${DEFAULT-VALUE}")
    double analysisMillis = MeasuredInputs.ANALYSIS_MILLIS;
    @Option(names = "--analysis-p99-ms", paramLabel = "MS", description = "measured: ${DEFAULT-VALUE}")
    double analysisP99Millis = MeasuredInputs.ANALYSIS_P99_MILLIS;
    @Option(names = "--cpu-steps-per-second", paramLabel = "S", description = "measured: ${DEFAULT-VALUE}")
    double cpuSteps = MeasuredInputs.CPU_STEPS_PER_SECOND;
    @Option(names = "--gpu-steps-per-second", paramLabel = "S", description = "ASSUMED (no GPU measured it): "
            + "${DEFAULT-VALUE}")
    double gpuSteps = MeasuredInputs.GPU_STEPS_PER_SECOND;

    @Option(names = "--brokers", paramLabel = "N", description = "default ${DEFAULT-VALUE}")
    int brokers = 3;
    @Option(names = "--replication", paramLabel = "N", description = "default ${DEFAULT-VALUE}")
    int replication = 3;
    @Option(names = "--gateways", paramLabel = "N", description = "gateway replicas (default ${DEFAULT-VALUE})")
    int gateways = 2;
    @Option(names = "--analysis-utilisation", paramLabel = "F", description = "busy share an analysis instance is "
            + "planned at (default ${DEFAULT-VALUE})")
    double utilisation = 0.7;
    @Option(names = "--partition-growth", paramLabel = "F", description = "partitions per planned analysis instance "
            + "(default ${DEFAULT-VALUE})")
    double growth = 2;
    @Option(names = "--cpu-slots", paramLabel = "N", description = "experiments per CPU trainer pod (default ${DEFAULT-VALUE})")
    int cpuSlots = 1;
    @Option(names = "--gpu-slots", paramLabel = "N", description = "experiments per GPU trainer pod (default ${DEFAULT-VALUE})")
    int gpuSlots = 4;

    @Option(names = "--simulate-hours", paramLabel = "H", description = "simulated time of the analysis queue (default "
            + "${DEFAULT-VALUE}; shortened to at most 2,000,000 snapshots); 0 skips the simulation")
    double simulateHours = 2;
    @Option(names = "--seed", paramLabel = "N", description = "the simulation's seed (default ${DEFAULT-VALUE})")
    long seed = 1;
    @Option(names = "--markdown", description = "print Markdown tables (deploy/CAPACITY.md)")
    boolean markdown;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CapacityCommand()).execute(args));
    }

    @Override
    public Integer call() {
        List<PlanTable.Column> columns;
        Costs costs;
        try {
            costs = new Costs(snapshotBytes, checkpointBytes, metricsBytes, measureBytes, submittedBytes,
                    lifecycleBytes, analysisMillis, analysisP99Millis, cpuSteps, gpuSteps);
            columns = plans(costs, new Cluster(brokers, replication, gateways, utilisation, growth, cpuSlots, gpuSlots,
                    1L << 30, 7));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(String.format(Locale.ROOT, "Capacity plan: %,d-step runs, a snapshot every %d steps (every %d in "
                        + "the first %,d), metrics every %d, a checkpoint every %d; %.0f days of retention; %d brokers, "
                        + "replication %d, %d gateways; analysis planned at %.0f%% busy", steps, snapshotEvery,
                snapshotEveryEarly, earlySteps, metricsEvery, checkpointEvery, retentionDays, brokers, replication,
                gateways, utilisation * 100));
        out.println(String.format(Locale.ROOT, "Costs: snapshot %,d B, checkpoint %,d B, metrics %,d B, measures %,d B "
                        + "(on the broker, zstd); analysis %.0f ms per snapshot (p99 %.0f); %.1f steps/s on CPU, "
                        + "%.0f on GPU (assumed unless given)", snapshotBytes, checkpointBytes, metricsBytes,
                measureBytes, analysisMillis, analysisP99Millis, cpuSteps, gpuSteps));
        out.println();
        out.print(PlanTable.render(columns, markdown));
        out.flush();
        return 0;
    }

    private List<PlanTable.Column> plans(Costs costs, Cluster cluster) {
        if (perTeam < 1) {
            throw new IllegalArgumentException("--experiments-per-team must be >= 1, got " + perTeam);
        }
        Cadence cadence = new Cadence(metricsEvery, snapshotEvery, snapshotEveryEarly, earlySteps, checkpointEvery);
        List<PlanTable.Column> columns = new ArrayList<>();
        for (String d : devices) {
            Device device = device(d);
            for (int n : experiments) {
                if (n < 1) {
                    throw new IllegalArgumentException("--experiments must be >= 1, got " + n);
                }
                int teams = (n + perTeam - 1) / perTeam;
                Plan plan = Plan.of(costs, new Load(teams, n, steps, cadence, retentionDays, publicShare, device), cluster);
                AnalysisQueue.Result sim = simulateHours <= 0 ? null : AnalysisQueue.simulate(costs, plan.load(),
                        plan.analysisInstances(), plan.partitions(), simulateHours * 3600,
                        2_000_000, seed);
                columns.add(new PlanTable.Column(plan, sim));
            }
        }
        return columns;
    }

    private static Device device(String name) {
        try {
            return Device.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--device must be cpu or gpu, got " + name);
        }
    }
}
