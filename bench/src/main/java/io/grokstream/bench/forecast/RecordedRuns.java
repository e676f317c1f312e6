package io.grokstream.bench.forecast;

import io.grokstream.contracts.Measure;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The recorded runs of the forecast evaluation: the plan {@link ForecastRecord} trains, and the CSV it writes
 * ({@code forecast/recorded-runs.csv} on this module's classpath), read back run by run.
 */
public final class RecordedRuns {
    /** Where the committed recording sits on the classpath. */
    public static final String RESOURCE = "/forecast/recorded-runs.csv";
    /** The scalars recorded per snapshot: what the forecaster reads, and the accuracies that judge it. */
    static final List<Measure> MEASURES = List.of(Measure.TRAIN_ACCURACY, Measure.TEST_ACCURACY, Measure.TRAIN_LOSS,
            Measure.TEST_LOSS, Measure.RESTRICTED_LOSS, Measure.EXCLUDED_LOSS, Measure.GINI_EMBED,
            Measure.GINI_UNEMBED, Measure.WEIGHT_SQ_TOTAL);
    private static final List<String> RUN_COLUMNS = List.of("run", "p", "frac", "weight_decay", "grokfast", "seed",
            "budget", "grok_step", "step");
    static final List<String> COLUMNS;

    static {
        List<String> c = new ArrayList<>(RUN_COLUMNS);
        MEASURES.forEach(m -> c.add(m.wire()));
        COLUMNS = List.copyOf(c);
    }

    /** One recorded run's setup. {@code grokfast}: {@code none} or {@code ema} (Lee et al.'s alpha 0.98, lambda 2). */
    record Spec(int p, double frac, double weightDecay, String grokfast, long seed, long budget, int snapshotEvery) {
        String name() {
            return String.format(Locale.ROOT, "p%d-f%.2f-wd%s-%s-s%d", p, frac, trim(weightDecay), grokfast, seed);
        }

        String csvPrefix() {
            return String.join(",", name(), Integer.toString(p), trim(frac), trim(weightDecay), grokfast,
                    Long.toString(seed), Long.toString(budget));
        }

        private static String trim(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }

    /** One run as recorded: its grokking step (null: not within its budget) and its snapshots in step order. */
    public record Run(String name, long budget, Long grokStep, List<Snapshot> snapshots) {
        public Run {
            Objects.requireNonNull(name, "name");
            snapshots = List.copyOf(snapshots);
        }
    }

    /** One snapshot's scalars, by {@link Measure#wire()} name. */
    public record Snapshot(long step, Map<String, Double> scalars) {
        public Snapshot {
            scalars = Map.copyOf(scalars);
        }
    }

    static final List<Spec> PLAN = plan();

    private RecordedRuns() {
    }

    private static List<Spec> plan() {
        List<Spec> plan = new ArrayList<>();
        // Recorded in two passes (~35 min of two shared cores in all): the first with snapshots every 100 steps
        // (runs that grok within the budget and runs that do not: a weak weight decay, budgets too short), the
        // second every 50 steps with higher training fractions, which grok sooner.
        plan.add(new Spec(23, 0.7, 1.0, "none", 1, 3000, 100));
        plan.add(new Spec(23, 0.7, 1.0, "ema", 2, 2000, 100));
        plan.add(new Spec(31, 0.6, 1.0, "none", 1, 4000, 100));
        plan.add(new Spec(31, 0.6, 1.0, "ema", 1, 2000, 100));
        plan.add(new Spec(31, 0.5, 0.3, "none", 2, 3000, 100));
        plan.add(new Spec(37, 0.6, 1.0, "none", 3, 4000, 100));
        plan.add(new Spec(37, 0.6, 1.0, "none", 4, 2000, 50));
        plan.add(new Spec(41, 0.6, 1.0, "none", 5, 2000, 50));
        plan.add(new Spec(43, 0.7, 1.0, "none", 6, 2000, 50));
        plan.add(new Spec(47, 0.6, 1.0, "none", 7, 2000, 50));
        plan.add(new Spec(41, 0.6, 0.5, "ema", 8, 2000, 50));
        plan.add(new Spec(43, 0.6, 1.0, "ema", 9, 2000, 50));
        return List.copyOf(plan);
    }

    /** A CSV row's measure part: the scalars of {@link #MEASURES} in order, blank where the suite had none. */
    static String row(long step, Map<String, Double> scalars) {
        StringBuilder b = new StringBuilder(Long.toString(step));
        for (Measure m : MEASURES) {
            Double v = scalars.get(m.wire());
            b.append(',').append(v == null || !Double.isFinite(v) ? "" : String.format(Locale.ROOT, "%.5g", v));
        }
        return b.toString();
    }

    /** The committed recording. */
    public static List<Run> load() throws IOException {
        try (InputStream in = RecordedRuns.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is not on the classpath");
            }
            return read(in);
        }
    }

    /** Runs in the order they first appear. */
    public static List<Run> read(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String header = r.readLine();
        if (!String.join(",", COLUMNS).equals(header)) {
            throw new IOException("unexpected header: " + header);
        }
        Map<String, List<Snapshot>> snaps = new LinkedHashMap<>();
        Map<String, String[]> first = new LinkedHashMap<>();
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            String[] f = line.split(",", -1);
            first.putIfAbsent(f[0], f);
            Map<String, Double> scalars = new LinkedHashMap<>();
            for (int i = 0; i < MEASURES.size(); i++) {
                String v = f[RUN_COLUMNS.size() + i];
                if (!v.isEmpty()) {
                    scalars.put(MEASURES.get(i).wire(), Double.parseDouble(v));
                }
            }
            snaps.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new Snapshot(Long.parseLong(f[8]), scalars));
        }
        List<Run> runs = new ArrayList<>();
        first.forEach((name, f) -> runs.add(new Run(name, Long.parseLong(f[6]),
                f[7].isEmpty() ? null : Long.parseLong(f[7]), snaps.get(name))));
        return runs;
    }
}
