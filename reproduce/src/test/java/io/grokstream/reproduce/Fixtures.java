package io.grokstream.reproduce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/** Synthetic gateway responses with a planted history, for the studies' claim checks. */
final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** Metrics points every {@code every} steps up to {@code last}, each field a function of the step. */
    static ArrayNode metrics(long every, long last, Map<String, LongFunction<Double>> fields) {
        ArrayNode out = JSON.createArrayNode();
        for (long s = every; s <= last; s += every) {
            ObjectNode p = out.addObject().put("step", s);
            for (var e : fields.entrySet()) {
                p.put(e.getKey(), e.getValue().apply(s));
            }
        }
        return out;
    }

    /** Measures points: scalars as functions of the step, key frequencies from {@code keys}. */
    static ArrayNode measures(long every, long last, Map<String, LongFunction<Double>> scalars, LongFunction<List<Integer>> keys) {
        ArrayNode out = JSON.createArrayNode();
        for (long s = every; s <= last; s += every) {
            ObjectNode p = out.addObject().put("step", s);
            ObjectNode sc = p.putObject("scalars");
            for (var e : scalars.entrySet()) {
                sc.put(e.getKey(), e.getValue().apply(s));
            }
            ArrayNode k = p.putArray("keyFrequencies");
            keys.apply(s).forEach(k::add);
        }
        return out;
    }

    static ObjectNode detail(String id, String status, long step, Map<String, Long> phases) {
        ObjectNode d = JSON.createObjectNode().put("experimentId", id).put("status", status).put("step", step)
                .put("taskId", "task-1");
        ArrayNode ph = d.putArray("phases");
        phases.forEach((name, s) -> ph.addObject().put("phase", name).put("step", s).put("evidence", "planted"));
        return d;
    }

    /** A task whose single target has the histogram {@code histogram} (and a warning when {@code warned}). */
    static ObjectNode task(long[] histogram, double entropy, boolean warned, String... targets) {
        ObjectNode t = JSON.createObjectNode().put("id", "task-1");
        ObjectNode stats = t.putArray("statistics").addObject().put("normalizedEntropy", entropy);
        long total = 0;
        long max = 0;
        ArrayNode h = stats.putArray("histogram");
        for (long v : histogram) {
            h.add(v);
            total += v;
            max = Math.max(max, v);
        }
        stats.put("maxClassShare", total == 0 ? 0 : max / (double) total);
        ArrayNode w = t.putArray("warnings");
        if (warned) {
            w.add("labels far from uniform");
        }
        ArrayNode tg = t.putArray("targets");
        for (String name : targets) {
            tg.addObject().put("name", name);
        }
        return t;
    }

    static StudyRun run(String key) {
        return new StudyRun(key, "run " + key, Requests.nanda("run " + key, 0, 100));
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
