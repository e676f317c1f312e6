package io.grokstream.bench.capacity;

import io.grokstream.contracts.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Plans side by side as a table, one column a plan, one row a figure: plain text for a terminal, or Markdown for
 * deploy/CAPACITY.md and the README. Units are decimal (MB = 10^6 bytes, TB = 10^12).
 */
final class PlanTable {
    /** A plan and, when it ran, its simulation. */
    record Column(Plan plan, AnalysisQueue.Result sim) {
    }

    private record Row(String label, Function<Column, String> cell) {
    }

    private PlanTable() {
    }

    static String render(List<Column> columns, boolean markdown) {
        List<String[]> rows = new ArrayList<>();
        String[] head = new String[columns.size() + 1];
        head[0] = "";
        for (int i = 0; i < columns.size(); i++) {
            Plan p = columns.get(i).plan();
            head[i + 1] = String.format(Locale.ROOT, "%,d %s", p.load().experiments(), p.load().device());
        }
        for (Row r : rows(columns.stream().anyMatch(c -> c.sim() != null))) {
            String[] line = new String[columns.size() + 1];
            line[0] = r.label();
            for (int i = 0; i < columns.size(); i++) {
                line[i + 1] = r.cell().apply(columns.get(i));
            }
            rows.add(line);
        }
        return markdown ? markdown(head, rows) : text(head, rows);
    }

    private static List<Row> rows(boolean simulated) {
        List<Row> r = new ArrayList<>();
        r.add(new Row("teams", c -> num(c.plan().load().teams())));
        r.add(new Row("steps/s per experiment", c -> fixed(c.plan().stepsPerSecond(), 1)));
        r.add(new Row("one run (" + "steps / steps/s)", c -> duration(c.plan().runSeconds())));
        r.add(new Row("runs finished per day", c -> num(Math.round(c.plan().runsPerDay()))));
        r.add(new Row("**trainer pods** (slots each)", c -> num(c.plan().trainers()) + " ("
                + c.plan().cluster().slotsPerTrainer(c.plan().load().device()) + ")"));
        r.add(new Row("snapshots/s into the analysis", c -> fixed(c.plan().snapshotsPerSecond(), 2)));
        r.add(new Row("analysis instances busy (snapshots/s × s each)", c -> fixed(c.plan().analysisBusy(), 2)));
        r.add(new Row("analysis instances needed (busy / planned share)", c -> num(c.plan().analysisNeeded())
                + (c.plan().partitionsCapped() ? " (over the partition cap)" : "")));
        r.add(new Row("**analysis instances** (even partitions each)", c -> num(c.plan().analysisInstances())));
        if (simulated) {
            r.add(new Row("simulated: busy share, mean / busiest instance", c -> c.sim() == null ? "-"
                    : fixed(c.sim().utilisation(), 2) + " / " + fixed(c.sim().busiest(), 2)));
            r.add(new Row("simulated: snapshot → measures, p50 / p99", c -> c.sim() == null ? "-"
                    : c.sim().keepsUp() ? duration(c.sim().lagP50Millis() / 1000) + " / "
                    + duration(c.sim().lagP99Millis() / 1000) : "falls behind"));
            r.add(new Row("simulated: deepest backlog (snapshots)", c -> c.sim() == null ? "-"
                    : num(c.sim().maxBacklog())));
        }
        r.add(new Row("**partitions** (training, snapshots, checkpoints, measures)", c -> num(c.plan().partitions())
                + (c.plan().partitionsCapped() ? " (cap " + Topics.MAX_PARTITIONS + ")" : "")));
        r.add(new Row("partition replicas per broker", c -> num(c.plan().partitionReplicasPerBroker())));
        for (String t : List.of(Topics.SNAPSHOTS, Topics.MEASURES, Topics.TRAINING, Topics.CHECKPOINTS)) {
            r.add(new Row("MB/s in: " + t, c -> mb(c.plan().topic(t).produced())));
        }
        r.add(new Row("MB/s in: team topics + public", c -> mb(c.plan().topics().stream()
                .filter(t -> t.topic().startsWith(Topics.TEAM_PREFIX) || t.topic().equals(Topics.PUBLIC))
                .mapToDouble(Plan.TopicFlow::produced).sum())));
        r.add(new Row("**MB/s in, all topics** (before replication)", c -> mb(c.plan().produced())));
        r.add(new Row("MB/s out: snapshots (analysis + gateways)", c -> mb(c.plan().topic(Topics.SNAPSHOTS).fetched())));
        r.add(new Row("MB/s out: measures (each analysis instance + gateways + router)",
                c -> mb(c.plan().topic(Topics.MEASURES).fetched())));
        r.add(new Row("**MB/s out, all consumers**", c -> mb(c.plan().fetched())));
        r.add(new Row("MB/s per broker in / out (replication included)", c -> mb(c.plan().inPerBroker()) + " / "
                + mb(c.plan().outPerBroker())));
        r.add(new Row("storage per day (× replication)", c -> bytes(c.plan().storedPerDay())));
        r.add(new Row("**storage at the horizon** (× replication)", c -> bytes(c.plan().stored())));
        r.add(new Row("of which snapshots", c -> bytes(c.plan().topic(Topics.SNAPSHOTS).stored())));
        r.add(new Row("**disk per broker**", c -> bytes(c.plan().diskPerBroker())));
        return r;
    }

    static String num(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String fixed(double x, int digits) {
        return String.format(Locale.ROOT, "%,." + digits + "f", x);
    }

    static String mb(double bytesPerSecond) {
        double mb = bytesPerSecond / 1e6;
        return mb >= 100 ? fixed(mb, 0) : mb >= 1 ? fixed(mb, 1) : fixed(mb, 3);
    }

    static String bytes(double b) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        int u = 0;
        while (b >= 1000 && u < units.length - 1) {
            b /= 1000;
            u++;
        }
        return fixed(b, b >= 100 ? 0 : 1) + " " + units[u];
    }

    static String duration(double seconds) {
        if (seconds < 1) {
            return fixed(seconds * 1000, 0) + " ms";
        }
        if (seconds < 120) {
            return fixed(seconds, 1) + " s";
        }
        if (seconds < 7200) {
            return fixed(seconds / 60, 1) + " min";
        }
        return fixed(seconds / 3600, 1) + " h";
    }

    private static String markdown(String[] head, List<String[]> rows) {
        StringBuilder b = new StringBuilder();
        b.append("| ").append(String.join(" | ", head)).append(" |\n|---");
        b.append("|---:".repeat(head.length - 1)).append("|\n");
        for (String[] r : rows) {
            b.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return b.toString();
    }

    private static String text(String[] head, List<String[]> rows) {
        int[] width = new int[head.length];
        List<String[]> all = new ArrayList<>();
        all.add(head);
        for (String[] r : rows) {
            String[] plain = r.clone();
            plain[0] = plain[0].replace("**", "");
            all.add(plain);
        }
        for (String[] r : all) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : all) {
            b.append(String.format("%-" + width[0] + "s", r[0]));
            for (int i = 1; i < r.length; i++) {
                b.append("  ").append(String.format("%" + width[i] + "s", r[i]));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
